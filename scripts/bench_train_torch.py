#!/usr/bin/env python3
"""Fine-tuning speed of the same base in Hugging Face transformers on PyTorch: BERT + a linear
token head, dropout as in BERT, cross-entropy, gradient clipping at 1.0, AdamW, in f32 and under
bf16 autocast. Batches of BATCH windows of WINDOW tokens (every window full, as PolNeAR's mostly
are); subword tokens/s over STEPS steps after one untimed step, median of RUNS.
Usage: bench_train_torch.py BASE_MODEL_DIR THREADS [WINDOW BATCH STEPS RUNS]"""
import json, statistics, sys, time
import torch
from transformers import BertModel
from transformers.utils import logging

logging.set_verbosity_error()

base, threads = sys.argv[1], int(sys.argv[2])
window, batch, steps, runs = (int(x) for x in (sys.argv[3:7] + ["254", "16", "6", "3"][len(sys.argv[3:7]):]))
torch.set_num_threads(threads)
torch.manual_seed(13)
cfg = json.load(open(f"{base}/config.json"))


def run(mode):
    bert = BertModel.from_pretrained(base, add_pooling_layer=False)
    head = torch.nn.Linear(cfg["hidden_size"], 7)
    params = list(bert.parameters()) + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.01)
    bert.train(); head.train()
    drop = torch.nn.Dropout(0.1)
    x = torch.randint(1000, cfg["vocab_size"], (batch, window))
    y = torch.randint(0, 7, (batch, window))
    mask = torch.ones_like(x)

    def step():
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=(mode == "bf16")):
            logits = head(drop(bert(input_ids=x, attention_mask=mask).last_hidden_state))
        loss = torch.nn.functional.cross_entropy(logits.float().view(-1, 7), y.view(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()

    step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return steps * batch * window / (time.perf_counter() - start)


for mode in ("f32", "bf16"):
    rates = sorted(run(mode) for _ in range(runs))
    print(json.dumps({"engine": f"pytorch {torch.__version__} train {mode}", "threads": threads,
                      "window": window, "batch": batch, "median": statistics.median(rates),
                      "min": rates[0], "max": rates[-1]}))
