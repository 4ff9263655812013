import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as ts from "typescript";

// Every member a user can import from the package's entry points carries a doc comment, and so does every property
// of the interfaces and classes among them: the TSDoc is what an editor shows, and the outputs' comes from the schemas.
const root = path.join(__dirname, "..", "..", "..");
const ENTRY_POINTS = ["sdk/index.ts", "sdk/plugin.ts"];

function documented(checker: ts.TypeChecker, symbol: ts.Symbol): boolean {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim().length > 0;
}

function undocumented(): string[] {
  const files = ENTRY_POINTS.map((file) => path.join(root, file));
  const program = ts.createProgram(files, { strict: true, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const missing: string[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    assert.ok(moduleSymbol, `no module for ${file}`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const where = `${path.relative(root, file)}: ${exported.name}`;
      if (!documented(checker, symbol)) missing.push(where);
      for (const declaration of symbol.declarations ?? []) {
        if (!ts.isInterfaceDeclaration(declaration) && !ts.isClassDeclaration(declaration)) continue;
        for (const member of declaration.members) {
          if (ts.isConstructorDeclaration(member) || !member.name) continue;
          const memberSymbol = checker.getSymbolAtLocation(member.name);
          if (memberSymbol && !documented(checker, memberSymbol))
            missing.push(`${where}.${member.name.getText(declaration.getSourceFile())}`);
        }
      }
    }
  }
  return [...new Set(missing)];
}

describe("SDK documentation", function () {
  this.timeout(60_000);
  it("gives every exported member, and every property of an exported interface or class, a doc comment", () => {
    assert.deepEqual(undocumented(), []);
  });
});
