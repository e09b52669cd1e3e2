#!/usr/bin/env bash
# Packs an installed data folder's built-in backbones (models/resnet18, models/minilm: about 140 MB) into parts of at
# most 50 MiB under .gpu-models/ (git-ignored; carry names each part), for a device machine that receives at most
# 64 MiB per call: carry one part per call, then join them there with `bash tools/gpu/split-models.sh --join DATA`.
#
#   bash tools/gpu/split-models.sh DATA          here: DATA/models/{resnet18,minilm} → .gpu-models/models.tar.part-*
#   bash tools/gpu/split-models.sh --stash       there: keep the parts that arrived in /root/gpu-models (a machine
#                                                stays the same between calls while it is warm)
#   bash tools/gpu/split-models.sh --join DATA   there: stash, then join every stashed part into DATA/models
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
stash=/root/gpu-models
if [ "${1:-}" = --stash ] || [ "${1:-}" = --join ]; then
  mkdir -p "$stash"
  [ -d .gpu-models ] && cp .gpu-models/models.tar.part-* "$stash"/ 2>/dev/null || true
  ls -l "$stash"
  [ "$1" = --stash ] && exit 0
  data=${2:?data folder}
  mkdir -p "$data"
  cat "$stash"/models.tar.part-* | tar -x -C "$data"
  echo "joined into $data/models: $(ls "$data/models")"
  exit 0
fi
data=${1:?data folder with models/resnet18 and models/minilm installed}
rm -rf .gpu-models && mkdir -p .gpu-models
tar -C "$data" -c models/resnet18 models/minilm | split -b 50M -d - .gpu-models/models.tar.part-
ls -l .gpu-models
