"Training recipes the benchmarks share: the experiment notebook's parameter files, read into a `TrainConfig`."

from __future__ import annotations
import time
from pathlib import Path
import pytorch_lightning as pl
from hdsr.workflow.experiments import parse_params
from hdsr.data.synth import FixedStrings, PRESETS
from hdsr.workflow.train import TrainConfig, run_config, score_sets

EXPERIMENTS = Path(__file__).parents[1] / 'nbs' / 'experiments'
TEST_SETS = ('seed', 'long', 'drawn', 'scanned')  # presets; each test set is 2,000 strings of MNIST test digits
# as a run's test set (eval_seed 0 + 2): the same 2,000 seed strings
TEST_SEED = 2


def recipe(name: str, **overrides) -> TrainConfig:
    "The `TrainConfig` of nbs/experiments/<name>.yaml with `overrides`, tracking off."
    params = parse_params(EXPERIMENTS / f'{name}.yaml')  # real_eval etc., the notebook's own, are left out
    return run_config(**{**params, 'wandb_mode': 'disabled', **overrides})


def test_sets(test_digits, size: int, names=TEST_SETS) -> dict[str, FixedStrings]:
    "The fixed test sets, by preset name."
    return {n: FixedStrings(test_digits, PRESETS[n], size, seed=TEST_SEED) for n in names}


class TargetWatch(pl.Callback):
    """Every `check_s` seconds of training (or three times as long as the last scoring took, if that is longer), score
    the model on `test_set`; stop when per_sample_cer <= `target` or the training clock passes `budget_s`. The clock
    starts at `t0` and pauses while the watch scores."""

    def __init__(self, test_set: FixedStrings, target: float, check_s: float, budget_s: float, t0: float):
        self.test_set, self.target, self.check_s, self.budget_s, self.t0 = test_set, target, check_s, budget_s, t0
        self.paused, self.last, self.wait, self.curve, self.reached = 0.0, 0.0, check_s, [], None

    def clock(self) -> float:
        return time.perf_counter() - self.t0 - self.paused

    def on_train_batch_end(self, trainer, module, *args):
        now = self.clock()
        if now - self.last < self.wait and now < self.budget_s:
            return
        t = time.perf_counter()
        m = score_sets(module.model, {'seed': self.test_set}, device=module.device)['seed']
        module.model.train()
        took = time.perf_counter() - t
        self.paused += took
        self.last, self.wait = now, max(self.check_s, 3 * took)
        self.curve.append(dict(seconds=round(now, 1), step=trainer.global_step, **m))
        print(f'  {now:6.0f} s, step {trainer.global_step}: per_sample_cer {m["per_sample_cer"]:.4f}', flush=True)
        if m['per_sample_cer'] <= self.target:
            self.reached = now
        if self.reached is not None or now >= self.budget_s:
            trainer.should_stop = True
