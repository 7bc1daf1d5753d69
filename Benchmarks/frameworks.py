#!/usr/bin/env python3
"""The PyTorch and TensorFlow side of the speed comparison.

Builds the same two Siamese networks in one framework, times training and inference on
synthetic data, and writes one JSON object (the schema the Swift `bench` executable also
writes). Run each framework in its own process, so that peak resident memory is its own:

    python frameworks.py --framework torch --threads 2 --repeats 3 --json out.json [--smoke]

Models (identical layer shapes in both frameworks):
  M1 "mnist-small" twin: 1x28x28 -> conv 32@5x5, ReLU, maxpool 2 -> conv 64@5x5, ReLU,
     maxpool 2 -> flatten 1024 -> fc 256, ReLU -> fc 32. Contrastive loss (Hadsell et al.,
     margin 1) on 128 pairs: both halves go through the shared encoder as one batch of 256.
  M2 "koch" twin: 1x105x105 -> conv 64@10, ReLU, pool -> conv 128@7, ReLU, pool ->
     conv 128@4, ReLU, pool -> conv 256@4, ReLU -> flatten 9216 -> fc 4096, sigmoid;
     head sigmoid(w.|e1-e2| + b) with binary cross-entropy on 32 pairs.
  Training step: forward both twins, backward, plain SGD (lr 0.01).
  Inference: encoder forward only, no gradients; M1 at batch 1024, M2 at batch 128.

Each figure is the best (minimum time) of `--repeats` timed runs after a warm-up.
"""

import argparse
import json
import os
import platform
import resource
import sys
import time

import numpy as np

LR = 0.01
MARGIN = 1.0
EPS = 1e-9  # inside the square root of the distance: d = 0 has no gradient otherwise

M1_PAIRS, M2_PAIRS = 128, 32
M1_INFER_BATCH, M2_INFER_BATCH = 1024, 128

# Warm-up steps (TensorFlow traces its graphs in the first call), then one step to calibrate:
# each timed run takes as many steps as fill about --seconds (default 2). --smoke: 1 of each.
WARMUP_STEPS = 2
MAX_STEPS = 1000


def log(msg):
    print(f"[{ARGS.framework}] {msg}", file=sys.stderr, flush=True)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def peak_rss_mb():
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def measure(name, step, sync, items_per_step, unit, loss=False):
    """Items per second: the best of --repeats timed runs of n steps, after warm-up.

    step() launches one training step or inference batch and returns a tensor; sync(t)
    blocks until that tensor, and so everything before it, has been computed."""
    if ARGS.smoke:
        warmup, n, repeats = 1, 1, 1
    else:
        warmup, repeats = WARMUP_STEPS, ARGS.repeats
    for _ in range(warmup):
        out = step()
    sync(out)
    if not ARGS.smoke:
        t0 = time.perf_counter()
        sync(step())
        one = time.perf_counter() - t0
        n = max(1, min(MAX_STEPS, round(ARGS.seconds / one)))
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(n):
            out = step()
        last = sync(out)
        best = min(best, time.perf_counter() - t0)
    rate = n * items_per_step / best
    STEPS[name] = n
    log(f"{name}: {rate:,.1f} {unit}  ({n} step{'s' if n > 1 else ''}/run, best {best:.3f} s"
        f" of {repeats}" + (f"; loss {float(last):.4f})" if loss else ")"))
    return rate


def synthetic_data(rng):
    """Fixed inputs (NCHW, float32) and labels, the same for both frameworks."""
    f32 = np.float32
    return dict(
        m1_a=rng.random((M1_PAIRS, 1, 28, 28), dtype=f32),
        m1_b=rng.random((M1_PAIRS, 1, 28, 28), dtype=f32),
        m1_same=(rng.random(M1_PAIRS) < 0.5).astype(f32),
        m2_a=rng.random((M2_PAIRS, 1, 105, 105), dtype=f32),
        m2_b=rng.random((M2_PAIRS, 1, 105, 105), dtype=f32),
        m2_same=(rng.random(M2_PAIRS) < 0.5).astype(f32),
        m1_infer=rng.random((M1_INFER_BATCH, 1, 28, 28), dtype=f32),
        m2_infer=rng.random((M2_INFER_BATCH, 1, 105, 105), dtype=f32),
    )


# ----------------------------------------------------------------------------- PyTorch

def run_torch(data):
    import torch
    from torch import nn

    torch.set_num_threads(ARGS.threads)
    torch.set_num_interop_threads(ARGS.interop)
    torch.manual_seed(0)

    def m1_encoder():
        return nn.Sequential(
            nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(),                       # 64 * 4 * 4 = 1024
            nn.Linear(1024, 256), nn.ReLU(),
            nn.Linear(256, 32))

    def m2_encoder():
        return nn.Sequential(
            nn.Conv2d(1, 64, 10), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 7), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(128, 128, 4), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(128, 256, 4), nn.ReLU(),
            nn.Flatten(),                       # 256 * 6 * 6 = 9216
            nn.Linear(9216, 4096), nn.Sigmoid())

    def contrastive(e1, e2, same):
        d = torch.sqrt(((e1 - e2) ** 2).sum(dim=1) + EPS)
        return (0.5 * same * d ** 2
                + 0.5 * (1 - same) * torch.clamp(MARGIN - d, min=0) ** 2).mean()

    t = {k: torch.from_numpy(v) for k, v in data.items()}
    sync = lambda x: x.sum().item()
    r = {}

    # M1: both twins through the shared encoder as one batch.
    enc1 = m1_encoder()
    opt1 = torch.optim.SGD(enc1.parameters(), lr=LR)
    x1 = torch.cat([t["m1_a"], t["m1_b"]])

    def m1_step():
        opt1.zero_grad(set_to_none=True)
        e = enc1(x1)
        loss = contrastive(e[:M1_PAIRS], e[M1_PAIRS:], t["m1_same"])
        loss.backward()
        opt1.step()
        return loss.detach()

    enc1.train()
    r["m1_train_pairs_per_s"] = measure(
        "M1 train", m1_step, sync, M1_PAIRS, "pairs/s", loss=True)

    enc1.eval()

    def m1_infer():
        with torch.inference_mode():
            return enc1(t["m1_infer"])

    r["m1_infer_per_s"] = measure("M1 infer", m1_infer, sync, M1_INFER_BATCH, "embeddings/s")
    del enc1, opt1, x1

    # M2.
    enc2 = m2_encoder()
    head = nn.Linear(4096, 1)
    opt2 = torch.optim.SGD(list(enc2.parameters()) + list(head.parameters()), lr=LR)
    bce = nn.BCEWithLogitsLoss()  # sigmoid + binary cross-entropy in one, numerically stable
    x2 = torch.cat([t["m2_a"], t["m2_b"]])

    def m2_step():
        opt2.zero_grad(set_to_none=True)
        e = enc2(x2)
        logit = head(torch.abs(e[:M2_PAIRS] - e[M2_PAIRS:])).squeeze(1)
        loss = bce(logit, t["m2_same"])
        loss.backward()
        opt2.step()
        return loss.detach()

    enc2.train()
    r["m2_train_pairs_per_s"] = measure(
        "M2 train", m2_step, sync, M2_PAIRS, "pairs/s", loss=True)

    enc2.eval()

    def m2_infer():
        with torch.inference_mode():
            return enc2(t["m2_infer"])

    r["m2_infer_per_s"] = measure("M2 infer", m2_infer, sync, M2_INFER_BATCH, "embeddings/s")
    return torch.__version__, r


# -------------------------------------------------------------------------- TensorFlow

def run_tensorflow(data):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    # Must come before TensorFlow runs any op.
    tf.config.threading.set_intra_op_parallelism_threads(ARGS.threads)
    tf.config.threading.set_inter_op_parallelism_threads(ARGS.interop)
    tf.random.set_seed(0)

    def conv(k, cin, cout):
        # Uniform(+-1/sqrt(fan_in)), the bound of PyTorch's default init for weights.
        limit = float(np.sqrt(1.0 / (k * k * cin)))
        return [tf.Variable(tf.random.uniform([k, k, cin, cout], -limit, limit)),
                tf.Variable(tf.zeros([cout]))]

    def dense(nin, nout):
        limit = float(np.sqrt(1.0 / nin))
        return [tf.Variable(tf.random.uniform([nin, nout], -limit, limit)),
                tf.Variable(tf.zeros([nout]))]

    def conv_relu(x, w, b, pool=True):
        x = tf.nn.relu(tf.nn.conv2d(x, w, strides=1, padding="VALID") + b)
        return tf.nn.max_pool2d(x, 2, 2, "VALID") if pool else x

    def flatten(x):
        return tf.reshape(x, [tf.shape(x)[0], -1])

    def m1_forward(p, x):
        x = conv_relu(x, p[0], p[1])
        x = conv_relu(x, p[2], p[3])
        x = flatten(x)                          # 4 * 4 * 64 = 1024
        x = tf.nn.relu(x @ p[4] + p[5])
        return x @ p[6] + p[7]

    def m2_forward(p, x):
        x = conv_relu(x, p[0], p[1])
        x = conv_relu(x, p[2], p[3])
        x = conv_relu(x, p[4], p[5])
        x = conv_relu(x, p[6], p[7], pool=False)
        x = flatten(x)                          # 6 * 6 * 256 = 9216
        return tf.sigmoid(x @ p[8] + p[9])

    def sgd(params, grads):
        for v, g in zip(params, grads):
            v.assign_sub(LR * g)

    def nhwc(a):  # TensorFlow's CPU kernels take channels last
        return tf.constant(np.ascontiguousarray(a.transpose(0, 2, 3, 1)))

    # Returning a tensor from a tf.function waits for its variable updates too.
    sync = lambda x: x.numpy()
    r = {}

    # M1: both twins through the shared encoder as one batch.
    p1 = conv(5, 1, 32) + conv(5, 32, 64) + dense(1024, 256) + dense(256, 32)
    x1 = tf.concat([nhwc(data["m1_a"]), nhwc(data["m1_b"])], 0)
    y1 = tf.constant(data["m1_same"])

    @tf.function
    def m1_train(x, same):
        with tf.GradientTape() as tape:
            e = m1_forward(p1, x)
            e1, e2 = e[:M1_PAIRS], e[M1_PAIRS:]
            d = tf.sqrt(tf.reduce_sum(tf.square(e1 - e2), axis=1) + EPS)
            loss = tf.reduce_mean(0.5 * same * tf.square(d)
                                  + 0.5 * (1 - same) * tf.square(tf.maximum(MARGIN - d, 0.0)))
        sgd(p1, tape.gradient(loss, p1))
        return loss

    r["m1_train_pairs_per_s"] = measure(
        "M1 train", lambda: m1_train(x1, y1), sync, M1_PAIRS, "pairs/s", loss=True)

    m1_embed = tf.function(lambda x: m1_forward(p1, x))
    x1i = nhwc(data["m1_infer"])
    r["m1_infer_per_s"] = measure(
        "M1 infer", lambda: m1_embed(x1i), sync, M1_INFER_BATCH, "embeddings/s")

    # M2.
    p2 = (conv(10, 1, 64) + conv(7, 64, 128) + conv(4, 128, 128) + conv(4, 128, 256)
          + dense(9216, 4096))
    head = dense(4096, 1)
    params2 = p2 + head
    x2 = tf.concat([nhwc(data["m2_a"]), nhwc(data["m2_b"])], 0)
    y2 = tf.constant(data["m2_same"])

    @tf.function
    def m2_train(x, same):
        with tf.GradientTape() as tape:
            e = m2_forward(p2, x)
            logit = tf.squeeze(tf.abs(e[:M2_PAIRS] - e[M2_PAIRS:]) @ head[0] + head[1], 1)
            loss = tf.reduce_mean(
                tf.nn.sigmoid_cross_entropy_with_logits(labels=same, logits=logit))
        sgd(params2, tape.gradient(loss, params2))
        return loss

    r["m2_train_pairs_per_s"] = measure(
        "M2 train", lambda: m2_train(x2, y2), sync, M2_PAIRS, "pairs/s", loss=True)

    m2_embed = tf.function(lambda x: m2_forward(p2, x))
    x2i = nhwc(data["m2_infer"])
    r["m2_infer_per_s"] = measure(
        "M2 infer", lambda: m2_embed(x2i), sync, M2_INFER_BATCH, "embeddings/s")
    return tf.__version__, r


# ------------------------------------------------------------------------------- main

def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--framework", required=True, choices=["torch", "tensorflow"])
    p.add_argument("--threads", type=int, default=2, help="intra-op threads (default 2)")
    p.add_argument("--interop", type=int, default=1,
                   help="inter-op threads (default 1: each op uses --threads, ops run in order)")
    p.add_argument("--repeats", type=int, default=3, help="timed runs; the best counts (default 3)")
    p.add_argument("--seconds", type=float, default=2.0,
                   help="about how long one timed run takes; sets its step count (default 2)")
    p.add_argument("--json", metavar="PATH", help="write the result object here")
    p.add_argument("--smoke", action="store_true",
                   help="1 warm-up step, 1 timed step, 1 repeat: checks the script runs")
    return p.parse_args()


def main():
    if ARGS.smoke:
        ARGS.repeats = 1
    data = synthetic_data(np.random.default_rng(0))
    run = run_torch if ARGS.framework == "torch" else run_tensorflow
    t0 = time.perf_counter()
    version, results = run(data)
    out = {
        "framework": ARGS.framework,
        "version": version,
        "threads": ARGS.threads,
        "cpu": cpu_model(),
        "m1_train_pairs_per_s": round(results["m1_train_pairs_per_s"], 2),
        "m2_train_pairs_per_s": round(results["m2_train_pairs_per_s"], 2),
        "m1_infer_per_s": round(results["m1_infer_per_s"], 2),
        "m2_infer_per_s": round(results["m2_infer_per_s"], 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "interop_threads": ARGS.interop,
        "repeats": ARGS.repeats,
        "steps_per_run": dict(STEPS),
        "smoke": ARGS.smoke,
    }
    log(f"done in {time.perf_counter() - t0:.1f} s, peak RSS {out['peak_rss_mb']:.0f} MB")
    text = json.dumps(out, indent=2)
    if ARGS.json:
        with open(ARGS.json, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


STEPS = {}  # steps per timed run, by measurement

if __name__ == "__main__":
    ARGS = parse_args()
    main()
