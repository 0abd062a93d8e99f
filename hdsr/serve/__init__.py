"""The recogniser behind a widget, an HTTP API, a Lambda handler and a Streamlit app.

Modules:

- `hdsr.serve.canvas` (nbs/50_serve/50_canvas.ipynb): Draw digits with a mouse, a finger or a pen, and see what the
  recognizer reads, inline in a notebook.
- `hdsr.serve.service` (nbs/50_serve/51_service.ipynb): What the API, the Lambda handler and the app share: decoding an
  image sent over the wire, refusing bad input with a status and a message that names the problem, and reading it with
  one `Recognizer` loaded once.
- `hdsr.serve.server` (nbs/50_serve/52_server.ipynb): `hdsr.serve.server:app`: a FastAPI application that reads digit
  strings from images sent over HTTP, loads its model once, keeps its event loop free, and answers every bad request
  with a 4xx that says what was wrong.
- `hdsr.serve.lambda_handler` (nbs/50_serve/53_lambda.ipynb): `hdsr.serve.lambda_handler.handler(event, context)`: the
  API's routes for AWS Lambda, called directly or behind API Gateway, in an image that needs no torch.
- `hdsr.serve.app` (nbs/50_serve/54_app.ipynb): A Streamlit page to draw a digit string on, or drop a scan or photo of
  one, and watch it read: in-process with the shipped model by default, or through a running API. `hdsr-app` starts it.
- `hdsr.serve.review` (nbs/50_serve/55_review.ipynb): A Streamlit page that walks the readings `hdsr-read` refused, one
  crop at a time, and saves what a person types as a labelled folder to fine-tune on. `hdsr-app --review readings.csv
  --reviewed DIR` opens it."""
