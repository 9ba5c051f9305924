import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { litOf, visit, type CallExpr, type Lit, type Node, type ParamExp, type Word } from '../../../../lib/targets/shell/ast.js';
import { shellParser } from '../../../../lib/targets/shell/parse.js';
import { UNRESOLVED_SEGMENT as U } from '../../../../lib/types.js';

const parse = (s: string) => shellParser().parse(s);
const args = (s: string): Word[] => (parse(s).Stmts[0]!.Cmd as CallExpr).Args;

describe('the converted tree', () => {
  it('has plain arrays, node types, nulls for nil', () => {
    const f = parse('echo a >f; > g');
    assert.equal(f.type, 'File');
    assert.equal(f.Stmts.length, 2);
    assert.equal(f.Stmts[0]!.Cmd!.type, 'CallExpr');
    assert.equal(f.Stmts[1]!.Cmd, null);
    assert.equal(f.Stmts[0]!.Redirs[0]!.N, null);
  });
  it('decodes UTF-8 text and keeps byte offsets', () => {
    const [, w] = args('echo é日');
    assert.equal((w!.Parts[0] as Lit).Value, 'é日');
    assert.deepEqual([w!.pos, w!.end], [5, 10]);
  });
  it('keeps unknown parts through parsing', () => {
    const [, w] = args(`rm x${U}y`);
    assert.equal(litOf(w), `x${U}y`);
  });
  it('parameter expansions carry their operator', () => {
    const pe = args('echo ${X:-d}')[1]!.Parts[0] as ParamExp;
    assert.equal(pe.Param!.Value, 'X');
    assert.equal(pe.Exp!.Op, shellParser().ops.defNull);
    assert.equal(litOf(pe.Exp!.Word), 'd');
  });
  it('visit reaches nested nodes and can skip subtrees', () => {
    const f = parse('echo $(rm a) "${x:-$(rm b)}" $((1+$(rm c)))');
    const seen: string[] = [];
    visit(f, (n: Node) => {
      if (n.type === 'CmdSubst') {
        seen.push(n.type);
        return false;
      }
      return true;
    });
    assert.equal(seen.length, 3);
  });
  it('litOf is empty for words with quotes or expansions', () => {
    assert.equal(litOf(args('echo "a"')[1]), '');
    assert.equal(litOf(args('echo a$b')[1]), '');
    assert.equal(litOf(null), '');
  });
});
