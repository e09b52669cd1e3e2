#!/usr/bin/env bash
# Measures the GPU data path on a machine with an NVIDIA GPU, in one run (about 6 minutes on an H200):
#   1. --mode device: a bare ONNX Runtime session with IOBinding at batch $BATCH (host inputs, and inputs already in
#      device memory) against the service on the same device in its variants (in-graph fp32, host path fp32, in-graph fp16, overlapped runs, cuDNN heuristic, one session for every batch size, one CPU thread per session), for
#      resnet18 and minilm, plus the fp16 variant's cosine to fp32 on that device;
#   2. --mode datapath: in-graph against host path at 1 caller and at $CALLERS callers, interleaved rounds;
#   3. --mode path: the host CPU time per image of the service's own path (a backbone that costs nothing, served at 1
#      and $CALLERS callers, one and $ITEMS_PER_CALL images per call), beside resnet18: the cores it takes per 1,000 images/s.
# Tables go to stdout and to $OUT/device.md, $OUT/datapath.md and $OUT/path.md; the GPU's and the host's utilisation, sampled
# every second, to $OUT/gpu-util.csv and $OUT/cpu-stat.log (the first line of /proc/stat).
#
#   APP=<published TransferService.Benchmarks> DATA=<data folder with models/resnet18 and models/minilm> \
#     bash tools/gpu/measure.sh
#
# Env: APP (folder holding TransferService.Benchmarks.dll; default: build it here with dotnet), DATA (the service's
# data folder, the built-in backbones installed in it; default ./bench-data), DEVICE (default cuda:0), BATCH (256),
# CALLERS (64), ITEMS_PER_CALL (16), ROW_SECONDS (8), PAIRS (2), OUT (default ./gpu-results). See tools/gpu/README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
DEVICE=${DEVICE:-cuda:0}
BATCH=${BATCH:-256}
CALLERS=${CALLERS:-64}
ITEMS_PER_CALL=${ITEMS_PER_CALL:-16}
SECONDS_PER_ROW=${ROW_SECONDS:-8}
PAIRS=${PAIRS:-2}
DATA=${DATA:-$PWD/bench-data}
OUT=${OUT:-$PWD/gpu-results}
mkdir -p "$OUT"

if [ -n "${APP:-}" ]; then
  bench=(dotnet "$APP/TransferService.Benchmarks.dll")
else
  dotnet build -c Release tests/TransferService.Benchmarks >/dev/null
  bench=(dotnet run -c Release --no-build --project tests/TransferService.Benchmarks --)
fi
for model in resnet18 minilm; do
  [ -f "$DATA/models/$model/backbone.json" ] || echo "note: $DATA/models/$model is not installed; the service installs it if its package files are next to the app"
done
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee "$OUT/device.csv"
  nvidia-smi --query-gpu=timestamp,utilization.gpu,utilization.memory,memory.used --format=csv -l 1 >"$OUT/gpu-util.csv" &
fi
(while sleep 1; do echo "$(date +%T) $(head -1 /proc/stat)"; done) >"$OUT/cpu-stat.log" &
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

"${bench[@]}" --mode device --device "$DEVICE" --device-batch "$BATCH" --concurrency "$CALLERS" \
  --items-per-call "$ITEMS_PER_CALL" --seconds "$SECONDS_PER_ROW" --warmup 2 --data "$DATA" | tee "$OUT/device.md"
# The datapath mode's host-path service reads its own data folder: give it the same backbones.
mkdir -p "$DATA-host-path/models"
for model in resnet18 minilm; do [ -e "$DATA-host-path/models/$model" ] || cp -r "$DATA/models/$model" "$DATA-host-path/models/"; done
"${bench[@]}" --mode datapath --device "$DEVICE" --concurrency "$CALLERS" --pairs "$PAIRS" --pair-seconds 4 \
  --data "$DATA" | tee "$OUT/datapath.md"
"${bench[@]}" --mode path --device "$DEVICE" --concurrency "$CALLERS" --items-per-call "$ITEMS_PER_CALL" \
  --seconds "$SECONDS_PER_ROW" --warmup 2 --data "$DATA" | tee "$OUT/path.md"
