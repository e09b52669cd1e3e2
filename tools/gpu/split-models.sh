#!/usr/bin/env bash
# Packs an installed data folder's built-in backbones (models/resnet18, models/minilm: about 149 MB) into folders of
# 1 MiB parts under .gpu-models/ (git-ignored), one folder per call to a device machine, which receives at most
# 64 MiB per call (repository and every carried path together): carry a folder per call, then join the parts there.
#
#   bash tools/gpu/split-models.sh DATA [MiB ...]   here: DATA/models/{resnet18,minilm} → .gpu-models/c1, c2, …, the
#                                                   first holding the first MiB given, the next the next, …; what is
#                                                   left goes in folders of 60 MiB (default: all of it in those)
#   bash tools/gpu/split-models.sh --stash          there: keep the parts that arrived in /root/gpu-models (a machine
#                                                   stays the same between calls while it is warm)
#   bash tools/gpu/split-models.sh --join DATA      there: stash, then join every stashed part into DATA/models
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
stash=/root/gpu-models
if [ "${1:-}" = --stash ] || [ "${1:-}" = --join ]; then
  mkdir -p "$stash"
  if [ -d .gpu-models ]; then find .gpu-models -name 'models.tar.part-*' -exec cp {} "$stash"/ \; ; fi
  echo "stashed parts: $(ls "$stash" | wc -l)"
  [ "$1" = --stash ] && exit 0
  data=${2:?data folder}
  mkdir -p "$data"
  cat "$stash"/models.tar.part-* | tar -x -C "$data"
  echo "joined into $data/models: $(ls "$data/models")"
  exit 0
fi
data=${1:?data folder with models/resnet18 and models/minilm installed}
shift
rm -rf .gpu-models && mkdir -p .gpu-models/parts
tar -C "$data" -c models/resnet18 models/minilm | split -b 1M -a 4 -d - .gpu-models/parts/models.tar.part-
parts=(.gpu-models/parts/*)
sizes=("$@")
next=0 folder=0
while [ "$next" -lt "${#parts[@]}" ]; do
  folder=$((folder + 1))
  size=${sizes[$((folder - 1))]:-60}
  mkdir -p ".gpu-models/c$folder"
  for part in "${parts[@]:next:size}"; do mv "$part" ".gpu-models/c$folder/"; done
  next=$((next + size))
done
rmdir .gpu-models/parts
du -sh .gpu-models/c*
