#!/usr/bin/env bash
# Fills the data folder with MNIST, Fashion-MNIST and Omniglot, the datasets of Chapters 02+.
# The folder is $SIAMESE_DATA, default data/ in the package root (git-ignored). If a shared
# copy exists ($SIAMESE_SHARED_DATA, default ../shared/data beside the package) each dataset
# folder is linked from it (copied if links fail); otherwise the files are downloaded from
# the datasets' own sites with curl. Every file is checked against its checksum. Safe to rerun.
#
#   Scripts/fetch-data.sh              # link from the shared copy, or download
#   Scripts/fetch-data.sh --download   # download even when a shared copy exists
set -euo pipefail
cd "$(dirname "$0")/.."

download_only=0
for arg in "$@"; do
  case "$arg" in
    --download) download_only=1 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fetch-data: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

fail() { echo "fetch-data: error: $*" >&2; exit 1; }
for tool in md5sum sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || fail "'$tool' is needed (coreutils)"
done

data=${SIAMESE_DATA:-data}
shared=${SIAMESE_SHARED_DATA:-../shared/data}
[ "$download_only" = 1 ] && shared=""

# name|accepted MD5s (space-separated)|download URLs (space-separated, tried in order)
# MD5s are the published ones. The Omniglot zips of the shared copy are rebuilt archives of
# the same PNGs (see its SOURCES.md), so their MD5s are accepted beside upstream's.
lecun=http://yann.lecun.com/exdb/mnist
ossci=https://ossci-datasets.s3.amazonaws.com/mnist
fashion=http://fashion-mnist.s3-website.eu-central-1.amazonaws.com
omniglot=https://github.com/brendenlake/omniglot/raw/master/python
files_mnist=(
  "train-images-idx3-ubyte.gz|f68b3c2dcbeaaa9fbdd348bbdeb94873|$lecun/train-images-idx3-ubyte.gz $ossci/train-images-idx3-ubyte.gz"
  "train-labels-idx1-ubyte.gz|d53e105ee54ea40749a09fcbcd1e9432|$lecun/train-labels-idx1-ubyte.gz $ossci/train-labels-idx1-ubyte.gz"
  "t10k-images-idx3-ubyte.gz|9fb629c4189551a2d022fa330f9573f3|$lecun/t10k-images-idx3-ubyte.gz $ossci/t10k-images-idx3-ubyte.gz"
  "t10k-labels-idx1-ubyte.gz|ec29112dd5afa0611ce80d1b7f02629c|$lecun/t10k-labels-idx1-ubyte.gz $ossci/t10k-labels-idx1-ubyte.gz"
)
files_fashion_mnist=(
  "train-images-idx3-ubyte.gz|8d4fb7e6c68d591d4c3dfef9ec88bf0d|$fashion/train-images-idx3-ubyte.gz"
  "train-labels-idx1-ubyte.gz|25c81989df183df01b3e8a0aad5dffbe|$fashion/train-labels-idx1-ubyte.gz"
  "t10k-images-idx3-ubyte.gz|bef4ecab320f06d8554ea6380940ec79|$fashion/t10k-images-idx3-ubyte.gz"
  "t10k-labels-idx1-ubyte.gz|bb300cfdad3c16e7a12a480ee83cd310|$fashion/t10k-labels-idx1-ubyte.gz"
)
files_omniglot=(
  "images_background.zip|68d2efa1b9178cc56df9314c21c6e718 cf8cff36dcb82434eeaa7d762b0e3c08|$omniglot/images_background.zip"
  "images_evaluation.zip|6b91aef0f799c5bb55b94e3f2daec811 77f3256ef5a46dd8a2d38d9e7973c9ae|$omniglot/images_evaluation.zip"
)
# Licenses fetched beside downloaded data (best effort, not checksummed).
license_fashion_mnist=https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/LICENSE
license_omniglot=https://raw.githubusercontent.com/brendenlake/omniglot/master/LICENSE

# files_of DATASET: the table of a dataset, one entry a line.
files_of() {
  local -n table="files_${1//-/_}"
  printf '%s\n' "${table[@]}"
}

# md5_ok FILE "MD5 MD5...": the file exists and its MD5 is one of the accepted ones.
md5_ok() {
  [ -f "$1" ] || return 1
  local sum; sum=$(md5sum < "$1" | cut -d' ' -f1)
  case " $2 " in *" $sum "*) return 0 ;; *) return 1 ;; esac
}

# complete DATASET: every file of the dataset is in the data folder with an accepted MD5.
complete() {
  local name md5s
  while IFS='|' read -r name md5s _; do
    md5_ok "$data/$1/$name" "$md5s" || return 1
  done < <(files_of "$1")
}

# shared_verified DATASET: the shared copy has the dataset and it matches its SHA256SUMS.
shared_verified() {
  [ -n "$shared" ] && [ -d "$shared/$1" ] || return 1
  [ -f "$shared/SHA256SUMS" ] || fail "$shared has no SHA256SUMS file to check $1 against"
  local sums; sums=$(grep " $1/" "$shared/SHA256SUMS" || true)
  [ -n "$sums" ] || fail "$shared/SHA256SUMS lists no files of $1"
  (cd "$shared" && sha256sum --check --quiet --strict <<<"$sums" >/dev/null 2>&1) \
    || fail "the shared copy $shared/$1 does not match $shared/SHA256SUMS (run 'sha256sum -c SHA256SUMS' in $shared)"
}

# link DATASET: point data/DATASET at the shared copy (a symlink; a copy if links fail).
link() {
  local source target="$data/$1"
  source=$(cd "$shared/$1" && pwd -P)
  if [ -L "$target" ] || [ ! -e "$target" ]; then
    rm -f "$target"
    if ln -s "$source" "$target" 2>/dev/null && [ -d "$target/" ]; then
      echo "$1: linked $target -> $source (checksums verified)"
    else
      rm -f "$target"
      cp -R "$source" "$target" || fail "could not link or copy $source to $target"
      chmod -R u+w "$target"
      echo "$1: copied $source to $target (checksums verified)"
    fi
  else
    # A real folder with missing or damaged files: replace just those.
    local name md5s
    while IFS='|' read -r name md5s _; do
      md5_ok "$target/$name" "$md5s" && continue
      rm -f "$target/$name"
      ln -s "$source/$name" "$target/$name" 2>/dev/null || cp "$source/$name" "$target/$name" \
        || fail "could not link or copy $source/$name"
    done < <(files_of "$1")
    echo "$1: linked the missing files of $target from $source (checksums verified)"
  fi
}

# download DATASET: fetch each missing or damaged file with curl and check its MD5.
download() {
  command -v curl >/dev/null 2>&1 || fail "curl is needed to download $1 (or provide a shared copy)"
  local target="$data/$1" name md5s urls url fetched=0
  [ -L "$target" ] && rm -f "$target"   # a stale link to a shared copy that is gone
  mkdir -p "$target"
  while IFS='|' read -r name md5s urls; do
    md5_ok "$target/$name" "$md5s" && continue
    local part="$target/.$name.part" got=0 why=""
    for url in $urls; do
      if why=$(curl -fL --retry 3 --connect-timeout 20 -sS -o "$part" "$url" 2>&1 | tail -n 1); then
        if md5_ok "$part" "$md5s"; then got=1; break; fi
        why="$url has the wrong MD5"
        echo "fetch-data: warning: $why, trying the next source" >&2
      fi
    done
    if [ "$got" = 0 ]; then
      rm -f "$part"
      fail "could not download $1/$name (${why:-unknown error}); tried $urls"
    fi
    mv -f "$part" "$target/$name"
    fetched=$((fetched + 1))
  done < <(files_of "$1")
  local license_variable="license_${1//-/_}"
  local license="${!license_variable:-}"
  if [ -n "$license" ] && [ ! -f "$target/LICENSE" ]; then
    curl -fL --retry 2 -sS -o "$target/LICENSE" "$license" 2>/dev/null || rm -f "$target/LICENSE"
  fi
  echo "$1: downloaded $fetched file(s) into $target (MD5 verified)"
}

mkdir -p "$data" || fail "cannot create the data folder $data"
for dataset in mnist fashion-mnist omniglot; do
  if complete "$dataset"; then
    echo "$dataset: ok, $data/$dataset is complete (checksums verified)"
  elif shared_verified "$dataset"; then
    link "$dataset"
    complete "$dataset" || fail "$data/$dataset is still incomplete after linking from $shared"
  else
    download "$dataset"
    complete "$dataset" || fail "$data/$dataset is still incomplete after downloading"
  fi
done
