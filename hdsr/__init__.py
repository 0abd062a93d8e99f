"""Handwritten digit string recognition: a CRNN trained with CTC on synthetic MNIST strings, notebook first."""

__version__ = "0.1.0"
