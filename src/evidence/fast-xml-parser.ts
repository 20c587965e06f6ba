// fast-xml-parser as the build bundles it on its own (dist/vendor/fast-xml-parser.js): required
// by the JUnit reader on the first report it reads.
export { XMLParser, XMLValidator } from "fast-xml-parser";
