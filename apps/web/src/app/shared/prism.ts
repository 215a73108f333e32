// Code highlighting: ngx-markdown highlights rendered code blocks with the global Prism, which
// only adds <span class="token ..."> around the text of code it already escaped.
// The language components extend the global Prism that `prismjs` defines, so it must load first:
// the import order here is the evaluation order, not a style choice.
/* eslint-disable simple-import-sort/imports */
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
/* eslint-enable simple-import-sort/imports */

Prism.manual = true;
(globalThis as { Prism?: typeof Prism }).Prism = Prism;
