/**
 * Messages that try to run script in a reader's page. Every one of them, if it ran, would set
 * `window.__xss` or open a dialog. Raw HTML in every form, Markdown links and images with
 * dangerous URLs, entity and Unicode tricks, and mutation-XSS shapes.
 */
export const XSS_PAYLOADS: readonly string[] = [
  // raw HTML
  '<script>window.__xss = 1; alert("script")</script>',
  '<img src=x onerror="window.__xss = 1; alert(\'img\')">',
  '<IMG SRC=x OnErRoR=window.__xss=1>',
  '<svg onload="window.__xss = 1">',
  '<svg><script>window.__xss = 1</script></svg>',
  '<iframe srcdoc="<script>parent.__xss = 1</script>"></iframe>',
  '<iframe src="javascript:parent.__xss = 1"></iframe>',
  '<object data="javascript:window.__xss = 1"></object>',
  '<embed src="javascript:window.__xss = 1">',
  '<a href="#" onclick="window.__xss = 1">click me</a>',
  '<div onmouseover="window.__xss = 1">hover me</div>',
  '<body onload=window.__xss=1>',
  '<input onfocus=window.__xss=1 autofocus>',
  '<details open ontoggle=window.__xss=1><summary>x</summary></details>',
  '<video><source onerror="window.__xss = 1"></video>',
  '<form action="javascript:window.__xss = 1"><button>go</button></form>',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
  '<base href="javascript:window.__xss=1//">',
  '<a href="data:text/html,<script>alert(1)</script>">data link</a>',
  '<a href="&#x6A;avascript:window.__xss=1">entity href</a>',
  '<a href=" jav&#x09;ascript:window.__xss=1">tab in scheme</a>',
  // style and expression tricks
  '<div style="background:url(javascript:window.__xss=1)">style url</div>',
  '<div style="width: expression(window.__xss = 1)">expression</div>',
  "<style>@import 'javascript:window.__xss=1'; body { background: red }</style>",
  // nested and broken tags, mutation XSS
  '<<script>script>window.__xss = 1<</script>/script>',
  '<scr<script>ipt>window.__xss = 1</scr</script>ipt>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>',
  '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
  '<img src="x" onerror=&#x77;indow.__xss=1>',
  // Markdown links and images
  '[click](javascript:window.__xss=1)',
  '[click](JaVaScRiPt:alert(1))',
  '[click]( javascript:alert(1) )',
  '[click](javascript&#58;alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](vbscript:msgbox(1))',
  '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[ref link][evil]\n\n[evil]: javascript:window.__xss=1',
  '<javascript:window.__xss=1>',
  '<https://example.org/" onmouseover="window.__xss=1>',
  '![image](x" onerror="window.__xss=1)',
  '![image](javascript:window.__xss=1)',
  '![image](https://example.org/x.png "t\\" onerror=\\"window.__xss=1")',
  // entities and Unicode
  '&lt;script&gt;window.__xss = 1&lt;/script&gt;',
  '\\u003cscript\\u003ewindow.__xss = 1\\u003c/script\\u003e',
  '＜script＞window.__xss = 1＜/script＞',
  '<scr\u200bipt>window.__xss = 1</scr\u200bipt>',
  // code must stay code
  '`<img src=x onerror=window.__xss=1>` and\n```html\n<script>window.__xss = 1</script>\n```',
  // links that may stay, and must open safely
  '[a safe link](https://example.org/safe)',
  'an autolink: https://example.org/auto and <https://example.org/angle>',
];
