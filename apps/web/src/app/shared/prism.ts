// Code highlighting: ngx-markdown highlights rendered code blocks with the global Prism, which
// only adds <span class="token ..."> around the text of code it already escaped.
import Prism from 'prismjs';
import 'prismjs/components/prism-typescript';
import 'prismjs/components/prism-json';
import 'prismjs/components/prism-bash';
import 'prismjs/components/prism-python';
import 'prismjs/components/prism-rust';
import 'prismjs/components/prism-go';
import 'prismjs/components/prism-sql';
import 'prismjs/components/prism-yaml';
import 'prismjs/components/prism-toml';

Prism.manual = true;
(globalThis as { Prism?: typeof Prism }).Prism = Prism;
