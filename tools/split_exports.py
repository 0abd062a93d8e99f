"""Split every `#| export` cell of the given notebooks into one cell per top-level definition (a function, a class, or a
run of simple statements such as constants); comments just above a definition go with it. Prints a summary."""

import ast, json, sys, uuid
from pathlib import Path


def groups(src: str) -> list[str]:
    lines = src.split('\n')
    head, body = lines[0], lines[1:]
    code = '\n'.join(body)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return [src]
    nodes = tree.body
    if len(nodes) <= 1:
        return [src]
    spans, cur = [], None
    for n in nodes:
        start = min([n.lineno] + [d.lineno for d in getattr(n, 'decorator_list', [])])
        simple = not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        if simple and cur is not None and cur[2]:
            cur[1] = n.end_lineno
            continue
        cur = [start, n.end_lineno, simple]
        spans.append(cur)
    if len(spans) <= 1:
        return [src]
    out = []
    for k, (a, b, _) in enumerate(spans):
        a -= 1  # 0-based
        prev_end = spans[k - 1][1] if k else 0
        while a - 1 >= prev_end and body[a - 1].strip().startswith('#'):
            a -= 1  # comments above go with it
        if k == 0:
            a = 0
        chunk = body[a:b] if k + 1 < len(spans) else body[a:]
        text = '\n'.join(chunk).strip('\n')
        out.append(head + '\n' + text)
    return out


def split(path: Path) -> tuple[int, int]:
    nb = json.loads(path.read_text())
    cells, before = [], 0
    for c in nb['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] != 'code' or not src.startswith(('#| export', '#|export')):
            cells.append(c)
            continue
        before += 1
        parts = groups(src)
        for i, p in enumerate(parts):
            d = (
                dict(c)
                if i == 0
                else dict(cell_type='code', id=uuid.uuid4().hex[:8], metadata={}, execution_count=None, outputs=[])
            )
            d['source'] = [l + '\n' for l in p.split('\n')]
            d['source'][-1] = d['source'][-1][:-1]
            if i < len(parts) - 1 and i == 0:
                d['outputs'] = []
            cells.append(d)
    after = sum(
        1 for c in cells if c['cell_type'] == 'code' and ''.join(c['source']).startswith(('#| export', '#|export'))
    )
    nb['cells'] = cells
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    return before, after


if __name__ == '__main__':
    for p in sys.argv[1:]:
        print(p, *split(Path(p)))
