#!/bin/sh
# Regenerates build/icon.png (512x512, teal rounded square with a white play triangle) with the
# project's own ffmpeg. electron-builder derives the .icns/.ico from it.
set -e
cd "$(dirname "$0")/.."
FF="${HOSPUP_FFMPEG:-node_modules/@ffmpeg-installer/linux-x64/ffmpeg}"
IN='lte(hypot(max(abs(X-255.5)-144\,0)\,max(abs(Y-255.5)-144\,0))\,96)'
TRI='gte(X\,200)*lte(abs(Y-256)\,(388-X)*0.6)'
"$FF" -hide_banner -loglevel error -y -f lavfi \
  -i "color=c=black:s=512x512,format=rgba,geq=r='if($TRI\,255\,15)':g='if($TRI\,255\,118)':b='if($TRI\,255\,110)':a='255*$IN'" \
  -frames:v 1 build/icon.png
