#!/usr/bin/env bash
# Retrain the shipped checkpoints with the exact commands listed in README.md here.
# Needs Fashion-MNIST (set VAE_EXPLORER_DATA or install dataset-fashion-mnist).
# Several hours on 2 CPU cores (the faces models about two each); far less on a GPU (add --device cuda).
set -euo pipefail
cd "$(dirname "$0")"
ve=../.venv/bin/vae-explorer
$ve train --data fashion-mnist --kind vae --latent-dim 16 --epochs 80 --lr-schedule cosine --seed 0 --half --out fashion-vae.pt
$ve train --data fashion-mnist --kind ae  --latent-dim 16 --epochs 40 --lr-schedule cosine --seed 0 --half --out fashion-ae.pt
$ve train --data fashion-mnist --kind vae --beta 4 --latent-dim 16 --epochs 20 --lr-schedule cosine --seed 0 --half --out fashion-vae-beta4.pt
$ve train --data fashion-mnist --kind vae --latent-dim 2  --epochs 30 --lr-schedule cosine --seed 0 --history --half --out fashion-vae-2d.pt
$ve train --data fashion-mnist --kind ae  --latent-dim 2  --epochs 30 --lr-schedule cosine --seed 0 --half --out fashion-ae-2d.pt
$ve train --data faces --kind ae --latent-dim 10 --epochs 25 --lr-schedule cosine --seed 0 --half --out faces-ae.pt
$ve train --data faces --kind vae --beta-warmup 10 --latent-dim 10 --epochs 25 --lr-schedule cosine --seed 0 --half --out faces-vae.pt
$ve train --data faces --kind vae --beta 4 --beta-warmup 10 --latent-dim 10 --epochs 25 --lr-schedule cosine --seed 0 --half --out faces-vae-beta4.pt
$ve train --data digits --kind vae --latent-dim 8 --epochs 150 --lr-schedule cosine --seed 0 --half --out digits-vae.pt
$ve train --data digits --kind ae  --latent-dim 8 --epochs 150 --lr-schedule cosine --seed 0 --half --out digits-ae.pt
../.venv/bin/python ../benchmarks/face_predictor.py --train faces-factors.pt --epochs 10
../.venv/bin/python ../benchmarks/realism_classifier.py --data fashion-mnist --train fashion-classifier.pt
../.venv/bin/python ../benchmarks/realism_classifier.py --data digits --train digits-classifier.pt
for f in *-ae*.pt *-vae*.pt; do $ve info "$f"; done
