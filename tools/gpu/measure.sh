#!/usr/bin/env bash
# Measures the GPU data path on a machine with an NVIDIA GPU, in one run (about 6 minutes):
#   1. --mode device: a bare ONNX Runtime session with IOBinding at batch $BATCH against the service on the same
#      device in four variants (in-graph fp32, host path fp32, in-graph fp16, in-graph with overlapped runs), for
#      resnet18 and minilm, plus the fp16 variant's cosine to fp32 on that device;
#   2. --mode datapath: in-graph against host path at 1 caller and at $CALLERS callers, interleaved rounds.
# Tables go to stdout and to $OUT/device.md and $OUT/datapath.md.
#
#   APP=<published TransferService.Benchmarks> DATA=<data folder with models/resnet18 and models/minilm> \
#     bash tools/gpu/measure.sh
#
# Env: APP (folder holding TransferService.Benchmarks.dll; default: build it here with dotnet), DATA (the service's
# data folder, the built-in backbones installed in it; default ./bench-data), DEVICE (default cuda:0), BATCH (256),
# CALLERS (64), ITEMS_PER_CALL (16), SECONDS (10), OUT (default ./gpu-results). See tools/gpu/README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
DEVICE=${DEVICE:-cuda:0}
BATCH=${BATCH:-256}
CALLERS=${CALLERS:-64}
ITEMS_PER_CALL=${ITEMS_PER_CALL:-16}
SECONDS_PER_ROW=${SECONDS:-10}
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
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee "$OUT/device.csv"

"${bench[@]}" --mode device --device "$DEVICE" --device-batch "$BATCH" --concurrency "$CALLERS" \
  --items-per-call "$ITEMS_PER_CALL" --seconds "$SECONDS_PER_ROW" --warmup 3 --data "$DATA" | tee "$OUT/device.md"
"${bench[@]}" --mode datapath --device "$DEVICE" --concurrency "$CALLERS" --pairs 3 --pair-seconds 5 \
  --data "$DATA" | tee "$OUT/datapath.md"
