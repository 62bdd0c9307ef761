#!/usr/bin/env bash
# Render speed and memory against the alternatives (not a test, never run in
# CI). Generates the standard workload into a temp dir — 10 photos (6 large
# 4000x3000 JPEGs, 2 portraits: one stored upright, one stored sideways with
# EXIF orientation 6 like a phone's, 1 PNG, 1 WebP) — and renders it, in the
# same run, three ways: 3.5 s per photo, 0.75 s crossfades, Ken Burns, calm
# music normalised to -14 LUFS, 1920x1080 at 30 fps, libx264 High veryfast
# crf 20, AAC 192k, a 1280x720 thumbnail:
#   img2yt     `img2yt export` of a project set up (untimed) by `upload` and
#              `send "<prompt>"`; its music is synthesised inside its graph
#   ffmpeg     the best single ffmpeg command written by hand (below)
#   moviepy    moviepy 2 in a throwaway venv (skipped if it cannot install)
# The hand-written command and moviepy read the same 30 s WAV (synthesised
# untimed beforehand); img2yt synthesises its own, so it does slightly more
# work than the other two. Everything uses the system ffmpeg (moviepy too,
# through IMAGEIO_FFMPEG_EXE), so the same x264 does the encoding.
#
# Prints wall seconds, peak RSS (the sum over each run's process tree —
# img2yt and its ffmpeg child, python and its ffmpeg writer — sampled every
# 0.1 s) and the largest single process, the output's duration, the ratios
# and PASS/FAIL for the targets (issue 16): wall <= 0.85x and CPU <= 0.8x the
# hand-written command, < 400 MB peak, and >= 4x faster than moviepy. Misses
# do not fail the script.
#
# Memory must not grow with the number of photos: img2yt also renders the
# same workload three times over (30 photos, 83.25 s; `img2yt30` in the
# table), interleaved with the rest, and its peak RSS is compared with the
# 10-photo one (target: at most 5 MB more). SKIP_30=1 leaves it out.
#
#   RUNS=3 benches/render.sh          interleaved runs, the fastest is shown
#   SKIP_MOVIEPY=1 benches/render.sh  no venv, no moviepy column
#   SKIP_FLOOR=1 benches/render.sh    no `x264` column (x264 alone on the
#                                     hand-written command's frames: the
#                                     floor under the CPU ratio) and no
#                                     `encoder` column (img2yt's ffmpeg
#                                     command alone, on img2yt's frames)
#   KEEP=/some/dir benches/render.sh  keep the outputs and img2yt's ffmpeg command
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
runs=${RUNS:-1}
prompt="make a video with 3.5 seconds per photo, 0.75 second crossfades, Ken Burns on, calm music, 16:9 1080p"
target_moviepy=4.0 target_ffmpeg=0.85 target_cpu=0.8 target_mb=400 target_growth_mb=5
want_frames=848 # 10 x 3.5 s - 9 x 0.75 s = 28.25 s at 30 fps (847.5 → 848)

for t in ffmpeg ffprobe; do
  command -v "$t" >/dev/null || { echo "render.sh needs $t"; exit 1; }
done
export IMAGEIO_FFMPEG_EXE
IMAGEIO_FFMPEG_EXE=$(command -v ffmpeg)
w="$tmp/w" out="$tmp/out"
mkdir -p "$w" "$out"
say() { printf '\n== %s\n' "$*"; }
warn() { printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!! %s\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' "$*" >&2; }

# ---------------------------------------------------------------- workload
# Photo-like content: a Mandelbrot crop (fine detail) blended over colour
# gradients, with film-grain noise, so the JPEGs are a few MB each and the
# encoder has real detail to spend bits on.
photo() { # out w h seed [noise]
  local f=$1 pw=$2 ph=$3 s=$4 n=${5:-16}
  local mx=$(( pw / 5 )) my=$(( ph / 5 ))
  local sx sy
  sx=$(awk -v s="$s" 'BEGIN { printf "%.5f", -0.7435 + 0.0009 * (s % 5) }')
  sy=$(awk -v s="$s" 'BEGIN { printf "%.5f", 0.1314 + 0.0007 * (s % 3) }')
  ffmpeg -v error -y \
    -f lavfi -i "mandelbrot=s=${mx}x${my}:maxiter=400:start_scale=0.01$((s % 4)):start_x=$sx:start_y=$sy,format=rgb24" \
    -f lavfi -i "gradients=s=${pw}x${ph}:nb_colors=4:seed=$s:c0=0x2b5d8a:c1=0xe0a458:c2=0x3f6b35:c3=0xc8d4dc,format=rgb24" \
    -filter_complex "[0]scale=$pw:$ph:flags=bicubic[m];[1][m]blend=all_mode=overlay:all_opacity=0.55,noise=alls=$n:allf=0" \
    -frames:v 1 "${@:6}" "$f"
}
say "generating the workload (untimed)"
for i in 1 2 3 4 5 6; do photo "$w/p0$i.jpg" 4000 3000 "$i" 9 -q:v 4; done
photo "$w/p07.jpg" 3000 4000 7 9 -q:v 4
# A phone portrait: stored 4000x3000, upright only through EXIF orientation 6
# (an APP1 segment with one IFD entry, spliced in right after SOI).
photo "$w/side.jpg" 4000 3000 8 9 -q:v 4
{
  head -c 2 "$w/side.jpg"
  printf '\xff\xe1\x00\x22Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00'
  tail -c +3 "$w/side.jpg"
} >"$w/p08.jpg"
rm "$w/side.jpg"
photo "$w/p09.png" 2560 1600 9 0 # a screenshot-like PNG: no grain
photo "$w/p10.webp" 3000 2000 10 12 -c:v libwebp -quality 85
photos=("$w"/p0[1-9].* "$w"/p10.webp)
[ "${#photos[@]}" -eq 10 ] || { echo "expected 10 photos, made ${#photos[@]}"; exit 1; }
for f in "${photos[@]}"; do
  printf '  %-9s %s %6d KB\n' "$(basename "$f")" \
    "$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=s=x:p=0 "$f")" \
    $(( $(stat -c %s "$f") / 1024 ))
done

# The music for moviepy and the hand-written command: a calm four-chord pad
# (C G Am F at 64 bpm, each chord swelling over its bar), 30 s.
chord='st(0,floor(mod(t,15)/3.75));st(1,if(eq(ld(0),0),261.63,if(eq(ld(0),1),196,if(eq(ld(0),2),220,174.61))));st(2,if(eq(ld(0),0),329.63,if(eq(ld(0),1),246.94,if(eq(ld(0),2),261.63,220))));st(3,if(eq(ld(0),0),392,if(eq(ld(0),1),293.66,if(eq(ld(0),2),329.63,261.63))));0.15*sin(PI*mod(t,3.75)/3.75)'
ffmpeg -v error -y -f lavfi \
  -i "aevalsrc=exprs='$chord*(sin(2*PI*ld(1)*t)+sin(2*PI*ld(2)*t)+0.8*sin(2*PI*ld(3)*t))|$chord*(sin(2*PI*ld(1)*1.003*t)+sin(2*PI*ld(2)*1.003*t)+0.8*sin(2*PI*ld(3)*0.997*t))':s=48000:d=30" \
  -c:a pcm_s16le "$w/music.wav"

# ---------------------------------------------------------------- measuring
page_kb=$(( $(getconf PAGESIZE) / 1024 )) clk_tck=$(getconf CLK_TCK)
# Sum of RSS (KB) over the process trees under the given pids, the largest
# VmHWM (peak RSS) of any one process in them as "KB name", and their CPU
# time in clock ticks (each process's own and its reaped children's), and
# how many ffmpeg processes are running in them. Pure
# bash (no forks), so sampling barely disturbs what it measures.
tree_sample() { # skip-pid root…
  local skip=$1; shift
  local -A parent=() rss=() cpu=() inside=()
  local f line rest pid p sum=0 ticks=0 big=0 bigname=- name k v _ a nff=0
  for f in /proc/[0-9]*/stat; do
    read -r line 2>/dev/null <"$f" || continue
    pid=${line%% *}; rest=${line##*) }
    read -r _ p _ <<<"$rest"
    parent[$pid]=$p
    read -r -a a <<<"$rest"
    rss[$pid]=${a[21]}
    cpu[$pid]=$(( a[11] + a[12] + a[13] + a[14] )) # utime stime cutime cstime
  done
  for r in "$@"; do inside[$r]=1; done
  for pid in "${!parent[@]}"; do
    p=$pid
    while [ -n "${p:-}" ] && [ "$p" -gt 1 ] && [ -z "${inside[$p]:-}" ]; do p=${parent[$p]:-}; done
    if [ -z "${p:-}" ] || [ -z "${inside[$p]:-}" ]; then continue; fi
    [ "$pid" = "$skip" ] && continue
    sum=$(( sum + ${rss[$pid]:-0} * page_kb ))
    ticks=$(( ticks + ${cpu[$pid]:-0} ))
    name='?' v=0
    while read -r k v _; do
      case $k in Name:) name=$v ;; VmHWM:) [ "$v" -gt "$big" ] && { big=$v; bigname=$name; } ;; esac
    done 2>/dev/null <"/proc/$pid/status" || true
    [ "$name" = ffmpeg ] && nff=$(( nff + 1 ))
    # Keep the first ffmpeg command line seen (what img2yt ran).
    if [ "$name" = ffmpeg ] && [ -n "$cmd_file" ] && [ ! -s "$cmd_file" ]; then
      tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" >"$cmd_file" || true
    fi
  done
  echo "$sum $big $bigname $ticks $nff"
}
# measure NAME CMD…: runs CMD, sets $wall (s), $cpu_s (user+sys s of the
# tree: a steadier figure than wall time on a shared machine), $peak_kb
# (tree sum), $proc ("KB name" of the largest single process) and $ff_s
# (how long an ffmpeg process was running in the tree, to 0.1 s).
# $extra_roots: more trees to count (the backend, when it renders in
# another process; its CPU before the run is subtracted).
extra_roots='' cmd_file=''
measure() {
  local name=$1; shift
  local start end pid st s big bigname ticks nff t0='' t1=0 usetime='' ff0='' ff1=''
  peak_kb=0 proc="0 -"
  [ -x /usr/bin/time ] && usetime=1
  start=$(date +%s%N)
  if [ -n "$usetime" ]; then
    /usr/bin/time -f '%e %M' -o "$tmp/$name.time" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  else
    "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  fi
  pid=$!
  while :; do
    read -r st 2>/dev/null <"/proc/$pid/stat" || break
    st=${st##*) }; [ "${st%% *}" = Z ] && break
    # shellcheck disable=SC2086 # word splitting of the extra roots is meant
    read -r s big bigname ticks nff < <(tree_sample "${usetime:+$pid}" "$pid" $extra_roots)
    if [ "$nff" -gt 0 ]; then ff1=$EPOCHREALTIME; ff0=${ff0:-$ff1}; fi
    [ -z "$t0" ] && t0=$ticks
    [ "$ticks" -gt "$t1" ] && t1=$ticks
    [ "$s" -gt "$peak_kb" ] && peak_kb=$s
    [ "$big" -gt "${proc%% *}" ] && proc="$big $bigname"
    sleep 0.1
  done
  local rc=0
  wait "$pid" || rc=$?
  end=$(date +%s%N)
  wall=$(awk -v ns=$(( end - start )) 'BEGIN { printf "%.2f", ns / 1e9 }')
  ff_s=$(awk -v a="${ff0:-0}" -v b="${ff1:-0}" 'BEGIN { printf "%.1f", b - a }')
  cpu_s=$(awk -v t=$(( t1 - ${t0:-0} )) -v hz="$clk_tck" 'BEGIN { printf "%.1f", t / hz }')
  if [ -n "$usetime" ] && [ -s "$tmp/$name.time" ]; then
    local tw tm
    read -r tw tm < <(tail -1 "$tmp/$name.time")
    [[ $tw =~ ^[0-9.]+$ ]] && wall=$tw
    # /usr/bin/time's max RSS is exact for the largest process it waited on.
    [[ $tm =~ ^[0-9]+$ ]] && [ "$tm" -gt "${proc%% *}" ] && proc="$tm ${proc#* }"
  fi
  return "$rc"
}
duration() { ffprobe -v error -show_entries format=duration -of csv=p=0 "$1" 2>/dev/null || echo "?"; }
frames() { ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$1" 2>/dev/null || echo "?"; }

# ---------------------------------------------------------------- img2yt
# Prefer `--local` (an in-process backend, persisted under IMG2YT_DATA_DIR);
# an img2yt whose --local keeps nothing between commands gets a backend of
# its own (`serve`) instead.
say "img2yt: setting up the project (untimed)"
i2y=() more=()
status_json() { "${i2y[@]}" --json status 2>/dev/null | grep '"type":"status"' | tail -1; }
draft_photos() { jq '[(.draft | if type == "string" then fromjson else . end) | .t[]? | select(.tt == 0) | .sg[]?] | length' 2>/dev/null || echo 0; }
setup() {
  "${i2y[@]}" upload "${photos[@]}" >"$tmp/upload.log" 2>&1 &&
    { [ -z "${more[*]:-}" ] || "${i2y[@]}" upload "${more[@]}" >>"$tmp/upload.log" 2>&1; } &&
    "${i2y[@]}" send "$prompt" >"$tmp/send.log" 2>&1 &&
    status_json >"$tmp/status.json" &&
    [ "$(draft_photos <"$tmp/status.json")" -gt 0 ]
}
mode=local
export IMG2YT_DATA_DIR="$tmp/data" NO_COLOR=1
i2y=("$bin" --local --config-dir "$tmp/cfg")
if ! command -v jq >/dev/null; then
  echo "render.sh needs jq (to read the draft)"; exit 1
fi
if ! setup; then
  mode=serve
  echo "--local did not keep the project between commands; using \`img2yt serve\` instead"
  start_backend --data-dir "$tmp/serve-data"
  extra_roots=$srv
  i2y=("$bin" --config-dir "$tmp/cfg-serve")
  setup || { echo "img2yt setup failed:"; cat "$tmp/upload.log" "$tmp/send.log"; exit 1; }
fi
sed 's/^/  /' "$tmp/send.log" | tail -4
# Is the draft the workload? 10 photos, 28.25 s, Ken Burns, music, 1080p16:9.
draft_check=$(jq -r '
  (.draft | if type == "string" then fromjson else . end) as $d
  | [$d.t[]? | select(.tt == 0)] as $v
  | [$v[] | .sg[]?] as $sg
  | ($v[0].m // {}) as $m
  | [ (if ($sg | length) != 10 then "\($sg | length) photos, not 10" else empty end),
      (if ((.duration_ms // 0) - 28250 | fabs) > 50 then "\((.duration_ms // 0) / 1000) s long, not 28.25 s" else empty end),
      (if $m.transition_ms != null and $m.transition_ms != 750 then "\($m.transition_ms) ms transitions, not 750" else empty end),
      (if $m.transition_ms == null then "no transition length in the draft (the renderer then lengthens each photo by its default 750 ms)" else empty end),
      (if [$sg[] | .d] | unique != [3500] then "photo lengths \([$sg[] | .d] | unique) ms, not 3500" else empty end),
      (if $m.ken_burns == false then "Ken Burns off" else empty end),
      (if ([$d.t[]? | select(.tt == 1)] | length) == 0 then "no music" else empty end),
      (if ([$d.t[]? | select(.tt == 1) | .sg[]?.m | tostring] | join(" ") | test("(?i)calm")) then empty else "music not calm" end),
      (if ($d.m.canvas.p // 1080) != 1080 then "\($d.m.canvas.p)p, not 1080p" else empty end)
    ] | join("; ")' "$tmp/status.json")
if [ -n "$draft_check" ]; then
  warn "THE DRAFT IS NOT THE STANDARD WORKLOAD: $draft_check. The img2yt column renders what the agent made of the prompt; compare durations before trusting the ratios."
else
  echo "  the draft is the workload: 10 photos x 3.5 s, 0.75 s crossfades, Ken Burns, calm music, 1080p"
fi

# Each cmd_* sets $cmd to the timed command for run number $1.
cmd_img2yt() { cmd=("${i2y[@]}" export -o "$out/img2yt-$1.mp4"); }

# The 30-photo project: the ten photos three times (as other files), set up
# the same way in a project of its own (an upload takes at most 20 files).
i2y30=()
if [ -z "${SKIP_30:-}" ] && [ "$mode" = local ]; then
  say "img2yt: setting up the 30-photo project (untimed)"
  mkdir -p "$w/x30"
  all30=()
  for k in a b c; do
    for f in "${photos[@]}"; do cp "$f" "$w/x30/$k-$(basename "$f")"; all30+=("$w/x30/$k-$(basename "$f")"); done
  done
  i2y10=("${i2y[@]}") photos10=("${photos[@]}")
  i2y=("$bin" --local --config-dir "$tmp/cfg30") photos=("${all30[@]:0:20}") more=("${all30[@]:20}")
  if setup && [ "$(draft_photos <"$tmp/status.json")" -eq 30 ]; then
    i2y30=("${i2y[@]}")
    echo "  the draft has 30 photos ($(jq -r '(.duration_ms // 0) / 1000' "$tmp/status.json") s)"
  else
    echo "  img2yt30: skipped, the 30-photo project could not be set up"
  fi
  i2y=("${i2y10[@]}") photos=("${photos10[@]}") more=()
fi
cmd_img2yt30() { cmd=("${i2y30[@]}" export -o "$out/img2yt30-$1.mp4"); }

# ---------------------------------------------------------------- by hand
# The best single ffmpeg command I can write by hand for this workload,
# with every technique a careful hand would use on this ffmpeg (5.1):
# - JPEGs decoded at half size (-lowres 1: 2000x1500 still covers 1080p);
# - each photo's own chain only turns it upright, fits it and pads it with
#   transparency (ffmpeg decodes every input first and keeps each chain's
#   buffers to the end, so per-photo chains are kept short);
# - one shared chain for all photos: the blurred, darkened fill (each photo
#   zoomed to cover the canvas by its own factor, from its known size), the
#   composite, one BT.601 -> BT.709 conversion, Ken Burns by zoompan on a
#   2x frame (half-pixel steps), per-photo values chosen by `in`;
# - photos joined as pieces (alone, then crossfading into the next) by
#   concat, crossfades made with fade+overlay in 4:2:0 (xfade here converts
#   every frame to 4:4:4);
# - the WAV trimmed, faded and loudness-normalised; the thumbnail as a
#   second output. Inputs 0-9 are the photos (7 is the sideways phone
#   portrait, turned by hand), 10 the music.
cat >"$tmp/hand.graph" <<'EOF'
[0:v]split[i0][t0];
[i0]scale=1920:1080:force_original_aspect_ratio=decrease:flags=lanczos,format=yuva420p,pad=1920:1080:(ow-iw)/2:(oh-ih)/2:color=black@0,setsar=1[c0];
[1:v]scale=1920:1080:force_original_aspect_ratio=decrease:flags=lanczos,format=yuva420p,pad=1920:1080:(ow-iw)/2:(oh-ih)/2:color=black@0,setsar=1[c1];
[2:v]scale=1920:1080:force_original_aspect_ratio=decrease:flags=lanczos,format=yuva420p,pad=1920:1080:(ow-iw)/2:(oh-ih)/2:color=black@0,setsar=1[c2];
[3:v]scale=1920:1080:force_original_aspect_ratio=decrease:flags=lanczos,format=yuva420p,pad=1920:1080:(ow-iw)/2:(oh-ih)/2:color=black@0,setsar=1[c3];
[4:v]scale=1920:1080:force_original_aspect_ratio=decrease:flags=lanczos,format=yuva420p,pad=1920:1080:(ow-iw)/2:(oh-ih)/2:color=black@0,setsar=1[c4];
[5:v]scale=1920:1080:force_original_aspect_ratio=decrease:flags=lanczos,format=yuva420p,pad=1920:1080:(ow-iw)/2:(oh-ih)/2:color=black@0,setsar=1[c5];
[6:v]scale=1920:1080:force_original_aspect_ratio=decrease:flags=lanczos,format=yuva420p,pad=1920:1080:(ow-iw)/2:(oh-ih)/2:color=black@0,setsar=1[c6];
[7:v]transpose=clock,scale=1920:1080:force_original_aspect_ratio=decrease:flags=lanczos,format=yuva420p,pad=1920:1080:(ow-iw)/2:(oh-ih)/2:color=black@0,setsar=1[c7];
[8:v]scale=1920:1080:force_original_aspect_ratio=decrease:flags=lanczos,format=yuva420p,pad=1920:1080:(ow-iw)/2:(oh-ih)/2:color=black@0,setsar=1[c8];
[9:v]scale=1920:1080:force_original_aspect_ratio=decrease:flags=lanczos,format=yuva420p,pad=1920:1080:(ow-iw)/2:(oh-ih)/2:color=black@0,setsar=1[c9];
[c0][c1][c2][c3][c4][c5][c6][c7][c8][c9]concat=n=10:v=1:a=0,settb=1/30,setpts=N,split[fg][bg];
[bg]zoompan=z='if(eq(in,0),1.36,if(eq(in,1),1.36,if(eq(in,2),1.36,if(eq(in,3),1.36,if(eq(in,4),1.36,if(eq(in,5),1.36,if(eq(in,6),2.42,if(eq(in,7),2.42,if(eq(in,8),1.133,1.21)))))))))':x='(iw-iw/zoom)/2':y='(ih-ih/zoom)/2':d=1:s=240x134:fps=30,format=yuv420p,gblur=sigma=11,lutyuv=y=16+(val-16)*0.6:u=128+(val-128)*0.8:v=128+(val-128)*0.8,scale=1920:1080:flags=bicubic,settb=1/30,setpts=N[fill];
[fill][fg]overlay=format=yuv420,scale=3840:2160:flags=bicubic:in_color_matrix=bt601:out_color_matrix=bt709:in_range=tv:out_range=tv,zoompan=z='if(eq(in,0),1+0.12*(frame/104),if(eq(in,1),1+0.12*(1-(frame/104)),if(eq(in,2),1.09,if(eq(in,3),1.09,if(eq(in,4),1+0.12*(frame/104),if(eq(in,5),1+0.12*(1-(frame/104)),if(eq(in,6),1.09,if(eq(in,7),1.09,if(eq(in,8),1+0.12*(frame/104),1+0.12*(1-(frame/104)))))))))))':x='if(eq(in,0),(iw-iw/zoom)/2,if(eq(in,1),(iw-iw/zoom)/2,if(eq(in,2),(iw-iw/zoom)*(frame/104),if(eq(in,3),(iw-iw/zoom)*(1-(frame/104)),if(eq(in,4),(iw-iw/zoom)/2,if(eq(in,5),(iw-iw/zoom)/2,if(eq(in,6),(iw-iw/zoom)*(frame/104),if(eq(in,7),(iw-iw/zoom)*(1-(frame/104)),if(eq(in,8),(iw-iw/zoom)/2,(iw-iw/zoom)/2)))))))))':y='(ih-ih/zoom)/2':d=105:s=1920x1080:fps=30,setsar=1,split=28[s0][t0][h1][s1][t1][h2][s2][t2][h3][s3][t3][h4][s4][t4][h5][s5][t5][h6][s6][t6][h7][s7][t7][h8][s8][t8][h9][s9];
[s0]trim=start_frame=0:end_frame=83,setpts=PTS-STARTPTS[ps0];
[t0]trim=start_frame=83:end_frame=105,setpts=PTS-STARTPTS[pt0];
[h1]trim=start_frame=105:end_frame=127,setpts=PTS-STARTPTS[ph1];
[s1]trim=start_frame=127:end_frame=187,setpts=PTS-STARTPTS[ps1];
[t1]trim=start_frame=187:end_frame=210,setpts=PTS-STARTPTS[pt1];
[h2]trim=start_frame=210:end_frame=233,setpts=PTS-STARTPTS[ph2];
[s2]trim=start_frame=233:end_frame=293,setpts=PTS-STARTPTS[ps2];
[t2]trim=start_frame=293:end_frame=315,setpts=PTS-STARTPTS[pt2];
[h3]trim=start_frame=315:end_frame=337,setpts=PTS-STARTPTS[ph3];
[s3]trim=start_frame=337:end_frame=397,setpts=PTS-STARTPTS[ps3];
[t3]trim=start_frame=397:end_frame=420,setpts=PTS-STARTPTS[pt3];
[h4]trim=start_frame=420:end_frame=443,setpts=PTS-STARTPTS[ph4];
[s4]trim=start_frame=443:end_frame=503,setpts=PTS-STARTPTS[ps4];
[t4]trim=start_frame=503:end_frame=525,setpts=PTS-STARTPTS[pt4];
[h5]trim=start_frame=525:end_frame=547,setpts=PTS-STARTPTS[ph5];
[s5]trim=start_frame=547:end_frame=607,setpts=PTS-STARTPTS[ps5];
[t5]trim=start_frame=607:end_frame=630,setpts=PTS-STARTPTS[pt5];
[h6]trim=start_frame=630:end_frame=653,setpts=PTS-STARTPTS[ph6];
[s6]trim=start_frame=653:end_frame=713,setpts=PTS-STARTPTS[ps6];
[t6]trim=start_frame=713:end_frame=735,setpts=PTS-STARTPTS[pt6];
[h7]trim=start_frame=735:end_frame=757,setpts=PTS-STARTPTS[ph7];
[s7]trim=start_frame=757:end_frame=817,setpts=PTS-STARTPTS[ps7];
[t7]trim=start_frame=817:end_frame=840,setpts=PTS-STARTPTS[pt7];
[h8]trim=start_frame=840:end_frame=863,setpts=PTS-STARTPTS[ph8];
[s8]trim=start_frame=863:end_frame=923,setpts=PTS-STARTPTS[ps8];
[t8]trim=start_frame=923:end_frame=945,setpts=PTS-STARTPTS[pt8];
[h9]trim=start_frame=945:end_frame=967,setpts=PTS-STARTPTS[ph9];
[s9]trim=start_frame=967:end_frame=1050,setpts=PTS-STARTPTS[ps9];
[ph1]format=yuv420p,format=yuva420p,fade=t=in:st=0:d=0.733333:alpha=1[xb0];[pt0][xb0]overlay=format=yuv420:shortest=1,setsar=1[x0];
[ph2]format=yuv420p,format=yuva420p,fade=t=in:st=0:d=0.766667:alpha=1[xb1];[pt1][xb1]overlay=format=yuv420:shortest=1,setsar=1[x1];
[ph3]format=yuv420p,format=yuva420p,fade=t=in:st=0:d=0.733333:alpha=1[xb2];[pt2][xb2]overlay=format=yuv420:shortest=1,setsar=1[x2];
[ph4]format=yuv420p,format=yuva420p,fade=t=in:st=0:d=0.766667:alpha=1[xb3];[pt3][xb3]overlay=format=yuv420:shortest=1,setsar=1[x3];
[ph5]format=yuv420p,format=yuva420p,fade=t=in:st=0:d=0.733333:alpha=1[xb4];[pt4][xb4]overlay=format=yuv420:shortest=1,setsar=1[x4];
[ph6]format=yuv420p,format=yuva420p,fade=t=in:st=0:d=0.766667:alpha=1[xb5];[pt5][xb5]overlay=format=yuv420:shortest=1,setsar=1[x5];
[ph7]format=yuv420p,format=yuva420p,fade=t=in:st=0:d=0.733333:alpha=1[xb6];[pt6][xb6]overlay=format=yuv420:shortest=1,setsar=1[x6];
[ph8]format=yuv420p,format=yuva420p,fade=t=in:st=0:d=0.766667:alpha=1[xb7];[pt7][xb7]overlay=format=yuv420:shortest=1,setsar=1[x7];
[ph9]format=yuv420p,format=yuva420p,fade=t=in:st=0:d=0.733333:alpha=1[xb8];[pt8][xb8]overlay=format=yuv420:shortest=1,setsar=1[x8];
[ps0][x0][ps1][x1][ps2][x2][ps3][x3][ps4][x4][ps5][x5][ps6][x6][ps7][x7][ps8][x8][ps9]concat=n=19:v=1:a=0,format=yuv420p[vout];
[10:a]atrim=duration=28.266667,afade=t=in:d=1,afade=t=out:st=26.266667:d=2,loudnorm=I=-14:TP=-1.5:LRA=11,aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo[aout];
[t0]scale=1280:720:force_original_aspect_ratio=increase,crop=1280:720,setsar=1,format=yuvj420p[thumb]
EOF
# The hand-written command's inputs, and the encoder settings every tool
# here uses (moviepy spells the same ones in Python).
hand_inputs() {
  local f
  in=()
  for f in "${photos[@]}"; do
    case $f in
      *.jpg) in+=(-lowres 1 -noautorotate -i "$f") ;;
      *) in+=(-noautorotate -i "$f") ;;
    esac
  done
  in+=(-i "$w/music.wav")
}
x264=(-c:v libx264 -preset veryfast -profile:v high -crf 20 -maxrate 12M -bufsize 24M -g 15 -bf 2
  -pix_fmt yuv420p -r 30 -color_primaries bt709 -color_trc bt709 -colorspace bt709 -color_range tv)
cmd_ffmpeg() {
  local in
  hand_inputs
  cmd=(ffmpeg -hide_banner -nostdin -loglevel error -y "${in[@]}" \
    -filter_complex "$(tr -d '\n' <"$tmp/hand.graph")" \
    -map '[vout]' -map '[aout]' "${x264[@]}" \
    -c:a aac -profile:a aac_low -b:a 192k -ar 48000 -ac 2 -movflags +faststart "$out/ffmpeg-$1.mp4" \
    -map '[thumb]' -frames:v 1 -q:v 2 -update 1 "$out/ffmpeg-$1.jpg")
}

# ---------------------------------------------------------------- x264 alone
# The floor under any renderer that encodes with these settings: x264
# alone, encoding the hand-written command's own frames, written raw to a
# file beforehand (untimed) and read back from the page cache. Its share of
# the hand-written command's CPU is the lowest CPU ratio img2yt could reach
# if composing its frames, piping them to ffmpeg and making the soundtrack
# cost nothing. (x264 costs the same on img2yt's frames: measured by hand,
# within the machine's noise.) SKIP_FLOOR=1 leaves it out; it needs 2.6 GB
# in $TMPDIR.
cmd_x264() {
  cmd=(ffmpeg -hide_banner -nostdin -loglevel error -y -f rawvideo -pix_fmt yuv420p -s 1920x1080 -r 30
    -i "$tmp/hand.yuv" "${x264[@]}" -an -movflags +faststart "$out/x264-$1.mp4")
}

# ---------------------------------------------------------------- img2yt's encoder alone
# img2yt's own ffmpeg command, word for word, reading img2yt's own frames
# from a file (written beforehand, untimed, by a stand-in for ffmpeg on
# img2yt's PATH that copies the frames and the music on their way to the
# real one) instead of from the compositor's pipe. It is everything img2yt
# runs except composing the frames: img2yt's CPU minus this one is what the
# compositor costs, and this one's share of the hand-written command's CPU
# is the lowest ratio img2yt could reach were composing free (x264, the
# soundtrack, and ffmpeg reading 3 MB a frame). Left out with SKIP_FLOOR=1
# and against `serve`; it needs 2.6 GB more in $TMPDIR.
tap_encoder() {
  local real
  real=$(command -v ffmpeg)
  mkdir -p "$tmp/tap"
  cat >"$tmp/tap/ffmpeg" <<EOS
#!/usr/bin/env bash
case " \$* " in
  *" pipe:0 "*)
    printf '%s\\0' "\$@" >"$tmp/encoder.args"
    prev=
    for a in "\$@"; do
      if [ "\$prev" = -i ] && [ "\$a" != pipe:0 ]; then cp "\$a" "$tmp/encoder.wav"; fi
      prev=\$a
    done
    tee "$tmp/ours.yuv" | "$real" "\$@" ;;
  *) exec "$real" "\$@" ;;
esac
EOS
  chmod +x "$tmp/tap/ffmpeg"
  PATH="$tmp/tap:$PATH" "${i2y[@]}" export -o "$tmp/tap.mp4" >"$tmp/tap.log" 2>&1 && [ -s "$tmp/encoder.args" ]
}
cmd_encoder() {
  local a prev='' args=()
  while IFS= read -r -d '' a; do
    if [ "$a" = pipe:0 ]; then a=$tmp/ours.yuv
    elif [ "$prev" = -i ]; then a=$tmp/encoder.wav
    fi
    args+=("$a") prev=$a
  done <"$tmp/encoder.args"
  # The last word is the video's path.
  cmd=(ffmpeg "${args[@]:0:${#args[@]}-1}" "$out/encoder-$1.mp4")
}

# ---------------------------------------------------------------- moviepy
# The same workload as close as moviepy 2 reasonably allows: the fill and
# the fitted photo composed once per photo with PIL, Ken Burns by per-frame
# resize (moviepy's Resize, Lanczos) around a centred or sliding position,
# CrossFadeIn on overlapping clips in one CompositeVideoClip, the WAV faded
# and loudness-normalised by the audio writer, libx264 with the same flags.
cat >"$tmp/slideshow.py" <<'EOF'
import sys
import numpy as np
from PIL import Image, ImageEnhance, ImageFilter, ImageOps
from moviepy import AudioFileClip, CompositeVideoClip, ImageClip, afx, vfx

*photos, music, out, thumb, audio_tmp = sys.argv[1:]
W, H, FPS, D, X, Z = 1920, 1080, 30, 3.5, 0.75, 0.12
total = len(photos) * D - (len(photos) - 1) * X


def canvas(path):
    im = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    bg = ImageOps.fit(im, (W // 8, H // 8), Image.Resampling.BILINEAR)
    bg = bg.filter(ImageFilter.GaussianBlur(H // 8 / 12))
    bg = ImageEnhance.Brightness(bg).enhance(0.6).resize((W, H), Image.Resampling.BICUBIC)
    fg = ImageOps.contain(im, (W, H), Image.Resampling.LANCZOS)
    bg.paste(fg, ((W - fg.width) // 2, (H - fg.height) // 2))
    return bg


clips = []
for i, path in enumerate(photos):
    img = canvas(path)
    if i == 0:
        img.resize((1280, 720), Image.Resampling.BICUBIC).save(thumb, quality=92)
    base = ImageClip(np.asarray(img)).with_duration(D)
    k = i % 4
    if k == 0:
        c = base.resized(lambda t: 1 + Z * t / D).with_position("center")
    elif k == 1:
        c = base.resized(lambda t: 1 + Z * (1 - t / D)).with_position("center")
    else:
        s = 1 + Z * 0.75
        c = base.resized(s)
        slack = c.w - W
        if k == 2:
            c = c.with_position(lambda t, slack=slack: (-slack * t / D, "center"))
        else:
            c = c.with_position(lambda t, slack=slack: (-slack * (1 - t / D), "center"))
    c = c.with_start(i * (D - X))
    if i > 0:
        c = c.with_effects([vfx.CrossFadeIn(X)])
    clips.append(c)

video = CompositeVideoClip(clips, size=(W, H)).with_duration(total)
audio = AudioFileClip(music).subclipped(0, total).with_effects(
    [afx.AudioFadeIn(1.0), afx.AudioFadeOut(2.0)]
)
audio.write_audiofile(
    audio_tmp, fps=48000, codec="aac", bitrate="192k", logger=None,
    ffmpeg_params=["-af", "loudnorm=I=-14:TP=-1.5:LRA=11,aresample=48000", "-ac", "2"],
)
video.write_videofile(
    out, fps=FPS, codec="libx264", preset="veryfast", audio=audio_tmp,
    audio_codec="copy", threads=2, logger=None,
    ffmpeg_params=[
        "-vf", "scale=out_color_matrix=bt709:out_range=tv",
        "-profile:v", "high", "-crf", "20", "-maxrate", "12M", "-bufsize", "24M",
        "-g", "15", "-bf", "2", "-color_primaries", "bt709", "-color_trc", "bt709",
        "-colorspace", "bt709", "-color_range", "tv", "-movflags", "+faststart",
    ],
)
EOF
py=
if [ -n "${SKIP_MOVIEPY:-}" ]; then
  echo "moviepy: skipped (SKIP_MOVIEPY)"
elif ! command -v python3 >/dev/null; then
  echo "moviepy: skipped (no python3)"
else
  say "moviepy: a throwaway venv (untimed)"
  if python3 -m venv "$tmp/venv" >"$tmp/venv.log" 2>&1 &&
    "$tmp/venv/bin/pip" install -q "moviepy>=2,<3" >>"$tmp/venv.log" 2>&1; then
    py="$tmp/venv/bin/python"
    "$py" -c 'import moviepy; print("  moviepy", moviepy.__version__)'
  else
    echo "moviepy: skipped, it did not install:"; tail -5 "$tmp/venv.log"
  fi
fi
cmd_moviepy() {
  cmd=("$py" "$tmp/slideshow.py" "${photos[@]}" "$w/music.wav"
    "$out/moviepy-$1.mp4" "$out/moviepy-$1.jpg" "$out/moviepy-$1.m4a")
}

# ---------------------------------------------------------------- the runs
tools=(img2yt ffmpeg)
if [ -z "${SKIP_FLOOR:-}" ]; then
  say "x264 alone: the hand-written command's frames, raw, into a file (untimed)"
  hand_inputs
  ffmpeg -hide_banner -nostdin -loglevel error -y "${in[@]}" -filter_complex "$(tr -d '\n' <"$tmp/hand.graph")" \
    -map '[vout]' -f rawvideo -pix_fmt yuv420p "$tmp/hand.yuv" -map '[aout]' -f null - \
    -map '[thumb]' -frames:v 1 -f null - && tools+=(x264) || echo "x264 alone: skipped, the frames could not be written"
fi
if [ -z "${SKIP_FLOOR:-}" ] && [ "$mode" = local ]; then
  say "img2yt's encoder alone: img2yt's frames, raw, into a file, and its ffmpeg command (untimed)"
  tap_encoder && tools+=(encoder) || { echo "img2yt's encoder alone: skipped, the frames could not be copied:"; tail -3 "$tmp/tap.log"; }
fi
[ -n "$py" ] && tools+=(moviepy)
[ -n "${i2y30[*]:-}" ] && tools+=(img2yt30)
cmd=()
declare -A best_ff best_wall best_cpu best_peak best_proc file cpu_run
say "rendering: ${tools[*]}, $runs run(s) each, interleaved; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq "$runs"); do
  for t in "${tools[@]}"; do
    roots=$extra_roots cmd_file=''
    [ "$t" = img2yt ] && cmd_file="$out/img2yt-ffmpeg-args-$run.txt"
    [ "${t#img2yt}" != "$t" ] || extra_roots=
    "cmd_$t" "$run"
    if ! measure "$t-$run" "${cmd[@]}"; then
      echo "$t failed:"; tail -n 20 "$tmp/$t-$run.err" "$tmp/$t-$run.out"; exit 1
    fi
    extra_roots=$roots cpu_run[$t.$run]=$cpu_s
    printf '  run %d %-8s %6.2f s wall (ffmpeg running %5.1f s) %6.1f s CPU  peak %4d MB (largest process: %s %d MB)\n' \
      "$run" "$t" "$wall" "$ff_s" "$cpu_s" \
      $(( peak_kb / 1024 )) "${proc#* }" $(( ${proc%% *} / 1024 ))
    if [ -z "${best_wall[$t]:-}" ] || awk -v a="$wall" -v b="${best_wall[$t]}" 'BEGIN { exit !(a < b) }'; then
      best_wall[$t]=$wall file[$t]="$out/$t-$run.mp4" best_ff[$t]=$ff_s
    fi
    if [ -z "${best_cpu[$t]:-}" ] || awk -v a="$cpu_s" -v b="${best_cpu[$t]}" 'BEGIN { exit !(a < b) }'; then
      best_cpu[$t]=$cpu_s
    fi
    [ "$peak_kb" -gt "${best_peak[$t]:-0}" ] && best_peak[$t]=$peak_kb best_proc[$t]=$proc
  done
done
load=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- the table
declare -A nframes
echo
printf '%-8s %8s %9s %7s %9s %9s %20s %10s %6s  %s\n' tool "wall s" "ffmpeg s" "CPU s" "ms/frame" "peak MB" "largest process MB" "duration s" frames "video"
for t in "${tools[@]}"; do
  f=${file[$t]}
  nframes[$t]=$(frames "$f")
  printf '%-8s %8s %9s %7s %9s %9d %20s %10s %6s  %s\n' "$t" "${best_wall[$t]}" "${best_ff[$t]}" "${best_cpu[$t]}" \
    "$(awk -v s="${best_wall[$t]}" -v n="${nframes[$t]}" 'BEGIN { if (n > 0) printf "%.1f", s * 1000 / n; else print "?" }')" \
    $(( best_peak[$t] / 1024 )) "$(( ${best_proc[$t]%% *} / 1024 )) (${best_proc[$t]#* })" \
    "$(duration "$f")" "${nframes[$t]}" \
    "$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height,pix_fmt,profile -of csv=s=/:p=0 "$f") $(ffprobe -v error -select_streams a:0 -show_entries stream=codec_name,sample_rate,channels -of csv=s=/:p=0 "$f")"
done
echo "wall and CPU: the fastest of $runs run(s) (ffmpeg s: how long an ffmpeg process ran during the fastest run —"
echo "for moviepy only its video writer's share); peak: the sum over the process tree, sampled every 0.1 s, the"
echo "highest of the runs. Load average at the end: $load on $(nproc) cores (wall times on a busy machine are noisy;"
echo "CPU seconds much less so)."

echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN { ok = op == ">=" ? a >= b : op == "<=" ? a <= b : a < b; print ok ? "PASS" : "FAIL" }'; }
# Per frame as well, in case img2yt's draft is not exactly the workload.
per_frame() { # tool-a tool-b: (wall a / frames a) / (wall b / frames b)
  awk -v a="${best_wall[$1]}" -v na="${nframes[$1]}" -v b="${best_wall[$2]}" -v nb="${nframes[$2]}" \
    'BEGIN { if (na > 0 && nb > 0) printf "%.2f", (a / na) / (b / nb); else print "?" }'
}
if [ -n "$py" ]; then
  r=$(ratio "${best_wall[moviepy]}" "${best_wall[img2yt]}")
  printf '%-24s %6sx   (target >= %sx)  %s   CPU: %sx, per frame: %sx\n' "moviepy / img2yt:" "$r" "$target_moviepy" \
    "$(verdict "$r" '>=' "$target_moviepy")" "$(ratio "${best_cpu[moviepy]}" "${best_cpu[img2yt]}")" "$(per_frame moviepy img2yt)"
else
  echo "moviepy / img2yt:        n/a (moviepy was skipped)"
fi
r=$(ratio "${best_wall[img2yt]}" "${best_wall[ffmpeg]}")
printf '%-24s %6sx   (target <= %sx)  %s   per frame: %sx\n' "img2yt / ffmpeg by hand:" "$r" "$target_ffmpeg" \
  "$(verdict "$r" '<=' "$target_ffmpeg")" "$(per_frame img2yt ffmpeg)"
r=$(ratio "${best_cpu[img2yt]}" "${best_cpu[ffmpeg]}")
printf '%-24s %6sx   (target <= %sx)  %s\n' "  CPU (user+sys):" "$r" "$target_cpu" "$(verdict "$r" '<=' "$target_cpu")"
# CPU seconds of one tool over another's, round by round (each pair ran
# back to back, so they shared the machine's mood), and their median.
rounds() { # tool-a tool-b
  local run list=()
  for run in $(seq "$runs"); do list+=("$(ratio "${cpu_run[$1.$run]}" "${cpu_run[$2.$run]}")"); done
  printf '%s\n' "${list[@]}" | sort -n | awk '{ v[NR] = $1; l = l (NR > 1 ? " " : "") $1 }
    END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2fx (rounds, sorted: %s)", m, l }'
}
printf '%-24s %s\n' "  CPU, median round:" "$(rounds img2yt ffmpeg)"
if [ -n "${best_cpu[x264]:-}" ]; then
  printf '%-24s %6sx   median round %s\n' "x264 alone / by hand:" "$(ratio "${best_cpu[x264]}" "${best_cpu[ffmpeg]}")" "$(rounds x264 ffmpeg)"
  echo "  (CPU: the floor under img2yt's CPU ratio, were everything but x264 free)"
fi
if [ -n "${best_cpu[encoder]:-}" ]; then
  printf '%-24s %6sx   median round %s\n' "encoder alone / by hand:" "$(ratio "${best_cpu[encoder]}" "${best_cpu[ffmpeg]}")" "$(rounds encoder ffmpeg)"
  echo "  (CPU: img2yt's ffmpeg command on img2yt's frames from a file: the floor, were composing free)"
  printf '%-24s %s\n' "  the compositor's CPU:" "$(for run in $(seq "$runs"); do
    awk -v a="${cpu_run[img2yt.$run]}" -v b="${cpu_run[encoder.$run]}" 'BEGIN { printf "%.1f s ", a - b }'; done)(img2yt - encoder alone, round by round)"
fi
r=$(ratio "${best_peak[img2yt]}" "${best_peak[ffmpeg]}")
printf '%-24s %6sx\n' "  peak RSS:" "$r"
mb=$(( best_peak[img2yt] / 1024 ))
printf '%-24s %6s MB (target < %s MB) %s\n' "img2yt peak RSS:" "$mb" "$target_mb" "$(verdict "$mb" '<' "$target_mb")"
if [ -n "${best_peak[img2yt30]:-}" ]; then
  grow=$(( (best_peak[img2yt30] - best_peak[img2yt]) / 1024 ))
  printf '%-24s %6s MB (30 photos: %d MB; target <= +%s MB) %s\n' "img2yt 10 -> 30 photos:" "$grow" \
    $(( best_peak[img2yt30] / 1024 )) "$target_growth_mb" "$(verdict "$grow" '<=' "$target_growth_mb")"
fi
if [ "$mode" = serve ]; then
  echo "(img2yt ran against \`img2yt serve\`: its figures are the client's, the backend's and the backend's ffmpeg's together)"
fi
got=${nframes[img2yt]}
[ "$got" = "$want_frames" ] || warn "img2yt wrote $got frames, the workload is $want_frames (28.25 s at 30 fps)${draft_check:+ — the draft was not the workload: $draft_check}"

if [ -n "${KEEP:-}" ]; then
  mkdir -p "$KEEP"
  cp "$out"/* "$tmp/hand.graph" "$tmp/slideshow.py" "$tmp/status.json" "$KEEP"/
  cp -r "$w" "$KEEP/workload"
  echo "kept the outputs, the workload and the draft in $KEEP"
fi
