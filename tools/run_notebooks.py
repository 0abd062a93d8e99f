"""Execute notebooks in place so that their committed outputs show what the code does now.

Warnings, logs (stderr) and progress-bar widgets are dropped: a reader sees the plots, tables and printed results.
Run: .venv/bin/python tools/run_notebooks.py [NOTEBOOK ...]
(default: the numbered notebooks of every package folder and the model card)
"""

import sys
from pathlib import Path
import nbformat
from nbclient import NotebookClient

NBS = Path(__file__).resolve().parent.parent / 'nbs'
WIDGET = 'application/vnd.jupyter.widget-view+json'

for path in [Path(p) for p in sys.argv[1:]] or sorted(NBS.glob('[0-9]*/[0-9]*.ipynb')) + [NBS / 'model_card.ipynb']:
    print(f'running {path}', flush=True)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=1800, kernel_name='python3', resources={'metadata': {'path': str(path.parent)}}
    ).execute()
    for cell in nb.cells:
        if cell.cell_type == 'code':
            cell.outputs = [o for o in cell.outputs if o.get('name') != 'stderr' and WIDGET not in o.get('data', {})]
    nbformat.write(nb, path)
