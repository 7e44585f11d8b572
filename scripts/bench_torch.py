#!/usr/bin/env python3
"""The same weights in Hugging Face transformers on PyTorch, encoder + entity head only, in f32,
bf16 autocast and dynamic int8: subword tokens/s over length-sorted windows of WINDOW tokens in
batches of BATCH, median of RUNS (timed: tokenize, cut windows, encoder + head, argmax).
Usage: bench_torch.py MODEL_DIR DUMP.jsonl THREADS [WINDOW BATCH RUNS]"""
import json, statistics, sys, time
import torch
from safetensors.torch import load_file
from tokenizers import Tokenizer
from transformers import BertConfig, BertModel

model_dir, dump, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
window, batch, runs = (int(x) for x in (sys.argv[4:7] + ["256", "32", "5"][len(sys.argv[4:7]):]))
torch.set_num_threads(threads)
cfg = json.load(open(f"{model_dir}/config.json"))
weights = {k: v.float() for k, v in load_file(f"{model_dir}/model.safetensors").items()}
bert = BertModel(BertConfig(**{k: v for k, v in cfg.items() if k not in ("heads", "id2label")}), add_pooling_layer=False)
missing = bert.load_state_dict({k[5:]: v for k, v in weights.items() if k.startswith("bert.") and "case_embeddings" not in k}, strict=False)
head = torch.nn.Linear(cfg["hidden_size"], weights["heads.entities.weight"].shape[0])
head.load_state_dict({"weight": weights["heads.entities.weight"], "bias": weights["heads.entities.bias"]})
bert.eval(); head.eval()
tok = Tokenizer.from_file(f"{model_dir}/tokenizer.json"); tok.no_truncation(); tok.no_padding()
texts = [json.loads(l)["text"] for l in open(dump)]
cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")

def run(mode):
    model = torch.nn.Sequential()
    enc, hd = bert, head
    if mode == "int8":
        enc = torch.ao.quantization.quantize_dynamic(bert, {torch.nn.Linear}, dtype=torch.qint8)
        hd = torch.ao.quantization.quantize_dynamic(head, {torch.nn.Linear}, dtype=torch.qint8)
    start = time.perf_counter()
    ids = [e.ids for e in tok.encode_batch(texts, add_special_tokens=False)]
    wins = [[cls] + s[i:i + window - 2] + [sep] for s in ids for i in range(0, max(len(s), 1), window - 2)]
    wins.sort(key=len)
    tokens = sum(len(w) for w in wins)
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=(mode == "bf16")):
        for b in range(0, len(wins), batch):
            chunk = wins[b:b + batch]
            n = max(len(w) for w in chunk)
            x = torch.tensor([w + [0] * (n - len(w)) for w in chunk])
            m = torch.tensor([[1] * len(w) + [0] * (n - len(w)) for w in chunk])
            hd(enc(input_ids=x, attention_mask=m).last_hidden_state).argmax(-1)
    return tokens / (time.perf_counter() - start)

for mode in ("f32", "bf16", "int8"):
    rates = sorted(run(mode) for _ in range(runs))
    print(json.dumps({"engine": f"pytorch {torch.__version__} {mode}", "threads": threads, "median": statistics.median(rates), "min": rates[0], "max": rates[-1]}))
