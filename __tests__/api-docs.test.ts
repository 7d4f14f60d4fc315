/**
 * Every export of the library entry (modules/index.ts) is documented, and so
 * is every public member: class and interface members, enum members, and the
 * fields of object types written inline (an `as const` table of limits, a
 * returned `{ name, index }`), as typedoc's `validation.notDocumented` asks
 * (`npm run docs` fails on the same gaps). Read with the TypeScript compiler
 * API over the entry's exports, so it runs in a second, not typedoc's ten.
 * A doc comment counts when it has text of its own: `@default` alone does not
 * say what a prop is.
 */
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
const ENTRY = path.join(ROOT, 'modules', 'index.ts');

/** Whether a node carries a JSDoc comment with summary text. */
function documented(node: ts.Node): boolean {
  return ts.getJSDocCommentsAndTags(node).some((doc) => ts.isJSDoc(doc) && (ts.getTextOfJSDocComment(doc.comment) ?? '').trim() !== '');
}

/** Whether a member is part of the public API (not private, protected, #private or @internal). */
function isPublic(member: ts.Node): boolean {
  const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
  if (modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.PrivateKeyword || modifier.kind === ts.SyntaxKind.ProtectedKeyword)) return false;
  const name = (member as ts.NamedDeclaration).name;
  if (name !== undefined && ts.isPrivateIdentifier(name)) return false;
  return !ts.getJSDocTags(member).some((tag) => tag.tagName.text === 'internal');
}

const nameOf = (node: ts.NamedDeclaration): string => (node.name ? node.name.getText() : '(anonymous)');

/** Each member of an object type written inline in `node`'s types (not in function bodies), as `<prefix>.<field>`. */
function inlineFields(node: ts.Node | undefined, prefix: string, missing: string[]): void {
  if (node === undefined || ts.isBlock(node)) return;
  if (ts.isTypeLiteralNode(node) || ts.isObjectLiteralExpression(node)) {
    const members: readonly ts.Node[] = ts.isTypeLiteralNode(node) ? node.members : node.properties;
    for (const member of members) {
      const name = `${prefix}.${nameOf(member as ts.NamedDeclaration)}`;
      if (!documented(member)) missing.push(name);
      ts.forEachChild(member, (child) => inlineFields(child, name, missing));
    }
    return;
  }
  ts.forEachChild(node, (child) => inlineFields(child, prefix, missing));
}

/** What is undocumented in one exported declaration: itself, its public members, its inline object types. */
function undocumentedIn(declaration: ts.Declaration, exportedName: string): string[] {
  const file = path.relative(ROOT, declaration.getSourceFile().fileName);
  const missing: string[] = [];
  // A variable's comment sits on its statement; getJSDocCommentsAndTags climbs to it.
  if (!documented(declaration)) missing.push(exportedName);
  if (ts.isClassDeclaration(declaration) || ts.isInterfaceDeclaration(declaration)) {
    for (const member of declaration.members as ts.NodeArray<ts.ClassElement | ts.TypeElement>) {
      if (ts.isConstructorDeclaration(member) || ts.isIndexSignatureDeclaration(member) || ts.isClassStaticBlockDeclaration(member) || !isPublic(member))
        continue;
      const name = `${exportedName}.${nameOf(member)}`;
      if (!documented(member)) missing.push(name);
      const typed = member as { type?: ts.TypeNode };
      inlineFields(typed.type, name, missing);
    }
  } else if (ts.isEnumDeclaration(declaration)) {
    for (const member of declaration.members) if (!documented(member)) missing.push(`${exportedName}.${nameOf(member)}`);
  } else if (ts.isTypeAliasDeclaration(declaration)) {
    inlineFields(declaration.type, exportedName, missing);
  } else if (ts.isFunctionDeclaration(declaration)) {
    inlineFields(declaration.type, exportedName, missing);
  } else if (ts.isVariableDeclaration(declaration)) {
    inlineFields(declaration.type, exportedName, missing);
    let initializer = declaration.initializer;
    while (initializer && (ts.isAsExpression(initializer) || ts.isSatisfiesExpression(initializer) || ts.isParenthesizedExpression(initializer))) {
      initializer = initializer.expression;
    }
    // Without a type annotation the object literal is the type (a table of limits); with one, the type documents the fields.
    if (declaration.type === undefined && initializer && ts.isObjectLiteralExpression(initializer)) inlineFields(initializer, exportedName, missing);
  }
  return missing.map((name) => `${file}: ${name}`);
}

function undocumentedExports(): { exports: number; missing: string[] } {
  const { config } = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  // Only Node's types: the library needs no test framework's, and fewer files parse faster.
  const program = ts.createProgram([ENTRY], { ...options, noEmit: true, incremental: false, types: ['node'] });
  const checker = program.getTypeChecker();
  const entry = checker.getSymbolAtLocation(program.getSourceFile(ENTRY)!)!;
  const exported = checker.getExportsOfModule(entry);
  const missing = exported.flatMap((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return (target.declarations ?? []).flatMap((declaration) => undocumentedIn(declaration, symbol.name));
  });
  return { exports: exported.length, missing: [...new Set(missing)].sort() };
}

test('GIVEN the library entry THEN every export and every public member has a doc comment', () => {
  const { exports, missing } = undocumentedExports();
  expect(exports).toBeGreaterThan(100);
  expect(missing).toEqual([]);
});
