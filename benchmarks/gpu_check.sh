#!/bin/bash
# The one prepared run on a lent GPU machine (the device tool): what it has, the GPU scenarios,
# the torch stages against the notes' bare loops on the GPU, and the CPU spec on that machine's CPU.
# Needs the pytest-bdd wheels in .whl (see docs/contributing or the device README); writes to $OUT.
set -u
OUT=${OUT:-/tmp/gpu-check}
mkdir -p "$OUT"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
mkdir -p /tmp/bin && printf '#!/bin/sh\nexec python3 -m linreg "$@"\n' >/tmp/bin/linreg && chmod +x /tmp/bin/linreg
export PATH=/tmp/bin:$PATH
{
  date -u
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
  python3 -c "import torch, numpy, sys; print(sys.version.split()[0], 'torch', torch.__version__, 'numpy', numpy.__version__, torch.cuda.get_device_name())"
  lscpu | grep -E "Model name|^CPU\(s\)"
  lscpu | grep -o -E "avx512f|avx2" | sort -u | tr '\n' ' '
} >"$OUT/machine.txt" 2>&1
timeout 120 python3 -m pytest -q -rs features/3_tool/19_devices.feature >"$OUT/devices.txt" 2>&1
echo "exit $?" >>"$OUT/devices.txt"
timeout 200 python3 -m benchmarks.torch_data --device cuda --repeat 3 >"$OUT/gpu_bench.txt" 2>&1
echo "exit $?" >>"$OUT/gpu_bench.txt"
timeout 120 python3 -m pytest -q -rfs -n 8 -m "not slow and not browser and not living_doc" >"$OUT/spec_cpu.txt" 2>&1
echo "exit $?" >>"$OUT/spec_cpu.txt"
