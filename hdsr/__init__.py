"""Handwritten digit string recognition: a CRNN trained with CTC on synthetic MNIST strings, notebook first.

Modules:

- `hdsr.app`: A Streamlit page to draw a digit string on and watch it read: in-process with the shipped model by default, or through a running API. `hdsr-app` starts it.
- `hdsr.datasets`: Labelled folders, the one on-disk form of real labelled images, and the fixed validation sets made from them: register row numbers split by page, strings of CVL digits, and synthetic field crops dressed as documents.
- `hdsr.evaluate`: How well a recognizer reads a labelled folder: both CERs, exact matches, how they improve when the least confident readings are refused, how often it is sure and wrong, how well its confidence is calibrated; `hdsr-eval`.
- `hdsr.lambda_handler`: `hdsr.lambda_handler.handler(event, context)`: the API's routes for AWS Lambda, called directly or behind API Gateway, in an image that needs no torch.
- `hdsr.real_strings`: Labelled image files and synthetic document crops, passed once through the front end and kept as the model will see them; batches of them are mixed into training beside the synthesiser's strings.
- `hdsr.server`: `hdsr.server:app`: a FastAPI application that reads digit strings from images sent over HTTP, loads its model once, keeps its event loop free, and answers every bad request with a 4xx that says what was wrong.
- `hdsr.service`: The part of every front end that is not the front end: decoding an image sent over the wire, refusing bad input with a status and a message that names the problem, and reading it with one `Recognizer` loaded once.
- `hdsr.sources`: Single handwritten digits beyond MNIST, each with its writers: CVL's European writers, USPS zip codes and handwriting fonts rendered as a hand would write them; all framed as MNIST frames a digit, and mixed by weight."""

__version__ = "0.1.0"
