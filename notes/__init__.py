"""The notes this project replays: the notebook (notes.ipynb) and the export it was made from."""
