#!/usr/bin/env bash
# Picture quality of this img2yt's renderer against another img2yt's (not a
# test): both render the same photos from the same prompt, and ffmpeg's
# `psnr` compares the two videos frame by frame, at the same timestamps.
# Twice: with Ken Burns off (the stills, fills, transitions and colours
# compared as such) and on (then the sub-pixel camera differs by design:
# the old renderer moved in half-pixel steps from a 2x upscale). The photos
# have fine detail but no film grain, so that the two x264 encodes differ
# by what the renderers do rather than by how each encode treats grain.
#
#   OLD=/path/to/old/img2yt benches/psnr.sh
#   P=720 OLD=… benches/psnr.sh        another canvas height (default 1080)
#   KB=off OLD=… benches/psnr.sh       only with Ken Burns off
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
old=${OLD:?set OLD to the img2yt binary to compare with}
p=${P:-1080}
w="$tmp/w"
mkdir -p "$w"
# The gradients' colours, fixed per photo (the filter otherwise picks them
# at random, and runs would compare different pictures).
colours() { # seed
  local p=(0x2b5d8a 0xe0a458 0x3f6b35 0xc8d4dc 0x8a2b4f 0x6fa3c9) s=$1
  echo "c0=${p[s % 6]}:c1=${p[(s + 1) % 6]}:c2=${p[(s + 3) % 6]}:c3=${p[(s + 4) % 6]}"
}
photo() { # out w h seed [ffmpeg output options…]
  local f=$1 pw=$2 ph=$3 s=$4
  ffmpeg -v error -y \
    -f lavfi -i "mandelbrot=s=$(( pw / 4 ))x$(( ph / 4 )):maxiter=300:start_scale=0.01$((s % 4)),format=rgb24" \
    -f lavfi -i "gradients=s=${pw}x${ph}:nb_colors=4:seed=$s:$(colours "$s"),format=rgb24" \
    -filter_complex "[0]scale=$pw:$ph:flags=bicubic[m];[1][m]blend=all_mode=overlay:all_opacity=0.55" \
    -frames:v 1 "${@:5}" "$f"
}
echo "== generating photos"
photo "$w/p1.jpg" 2400 1800 1 -q:v 3
photo "$w/p2.jpg" 1500 2000 2 -q:v 3
photo "$w/side.jpg" 2400 1800 3 -q:v 3
{
  head -c 2 "$w/side.jpg"
  printf '\xff\xe1\x00\x22Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00'
  tail -c +3 "$w/side.jpg"
} >"$w/p3.jpg"
rm "$w/side.jpg"
photo "$w/p4.png" 1920 1200 4
photo "$w/p5.webp" 1800 1200 5 -c:v libwebp -quality 85
photos=("$w"/p1.jpg "$w"/p2.jpg "$w"/p3.jpg "$w"/p4.png "$w"/p5.webp)

render() { # binary name prompt
  local b=$1 n=$2 prompt=$3
  local i2y=("$b" --local --config-dir "$tmp/cfg-$n")
  IMG2YT_DATA_DIR="$tmp/data-$n" NO_COLOR=1 "${i2y[@]}" upload "${photos[@]}" >/dev/null 2>&1
  IMG2YT_DATA_DIR="$tmp/data-$n" NO_COLOR=1 "${i2y[@]}" send "$prompt" >/dev/null 2>&1
  IMG2YT_DATA_DIR="$tmp/data-$n" NO_COLOR=1 "${i2y[@]}" export -o "$tmp/$n.mp4" >"$tmp/$n.log" 2>&1 ||
    { echo "$n failed:"; tail -5 "$tmp/$n.log"; exit 1; }
}
psnr() { # a b [filters applied to both first] → "y:… u:… v:… average:… min:…"
  local f=${3:-null}
  ffmpeg -nostdin -i "$1" -i "$2" -lavfi "[0:v]$f[a];[1:v]$f[b];[a][b]psnr" -f null - 2>&1 |
    grep -o 'PSNR y:.*' | tail -1
}
base="3.5 seconds per photo, 0.75 second crossfades, calm music, title 'Iceland 2026', 16:9 ${p}p"
for kb in ${KB:-off on}; do
  prompt="make a video with $base, Ken Burns $kb"
  echo "== Ken Burns $kb: rendering with $old and with $bin"
  render "$old" "old-$kb" "$prompt"
  render "$bin" "new-$kb" "$prompt"
  printf '  frames: old %s, new %s\n' \
    "$(ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 "$tmp/old-$kb.mp4")" \
    "$(ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 "$tmp/new-$kb.mp4")"
  echo "  whole frames:       $(psnr "$tmp/new-$kb.mp4" "$tmp/old-$kb.mp4")"
  # The title shows for the first 3 s, centred, within a band of 16 % of
  # the height; the photos alone are every frame after it.
  echo "  title (0-3 s, band): $(psnr "$tmp/new-$kb.mp4" "$tmp/old-$kb.mp4" \
    "trim=end=3,crop=iw*0.9:ih*0.16:iw*0.05:ih*0.42")"
  echo "  photos (3 s on):    $(psnr "$tmp/new-$kb.mp4" "$tmp/old-$kb.mp4" \
    "trim=start=3,setpts=PTS-STARTPTS")"
done
if [ -n "${KEEP:-}" ]; then
  mkdir -p "$KEEP" && cp "$tmp"/*.mp4 "$KEEP"/ && echo "kept the videos in $KEEP"
fi
