// Typesets formulas with KaTeX for make export (nb/harness/typeset.py).
//
//   node katex_render.js PATH/TO/node_modules/katex < request.json > reply.json
//
// request: {"formulas": [{"tex": "\\sigma(z)", "display": false}, ...],
//           "macros": {"\\R": "\\mathbb{R}"}}
// reply:   [{"html": "<span class=\"katex\">..."} or {"error": "KaTeX parse error: ..."}, ...],
//          one entry per formula, in order.
// All formulas of a request are typeset in this one process; a formula KaTeX
// rejects gets its error message, the others their HTML.
"use strict";

const katex = require(process.argv[2]);

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const request = JSON.parse(input);
  const reply = request.formulas.map(({ tex, display }) => {
    try {
      // A fresh copy per formula: \gdef and \newcommand in one formula must
      // not leak into the next.
      const macros = Object.assign({}, request.macros || {});
      return {
        html: katex.renderToString(tex, {
          displayMode: display,
          throwOnError: true,
          macros,
          output: "htmlAndMathml",
          strict: "ignore",
          trust: false,
        }),
      };
    } catch (e) {
      return { error: String(e.message || e) };
    }
  });
  process.stdout.write(JSON.stringify(reply));
});
