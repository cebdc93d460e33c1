// The messages on the AudioWorklets' ports, declared once (message_contract.js). The worklets
// (web/pcm_playback_worklet.js, web/pcm_capture_worklet.js) cannot import (bundlers copy them as they
// are): scripts/worklet_contracts.mjs writes these types into them, and tests/package checks the copy.
import { contract } from './message_contract.js';

// To the player's playback worklet: from the page on the node's port (ring or port: how PCM will come),
// from the player worker on that port (pcm blocks, flush).
export const ToPlaybackWorklet = contract('-> playback worklet', {
  ring: { sab: 'SharedArrayBuffer', capacity: 'number', channels: 'number' },  // layout: audio_ring.js
  port: { port: 'MessagePort' },                                   // transferred: the worker's end follows in init
  pcm: { planes: 'Float32Array', frames: 'number' },               // planar, buffer transferred
  flush: {},                                                       // a new play: counts from 0 again
});

export const FromPlaybackWorklet = contract('playback worklet -> player worker', {
  // frames played, about every 43 ms (port mode only); `spent`: the pcm blocks played out since the last
  // report, their buffers transferred back for the worker to fill again (no new buffer per block)
  played: { played: 'number', spent: 'Array?' },
});

// The pusher's capture worklet: the page hands it the port to the pusher worker; it posts PCM blocks there.
export const ToCaptureWorklet = contract('-> capture worklet', {
  port: { port: 'MessagePort' },
});

export const FromCaptureWorklet = contract('capture worklet -> pusher worker', {
  pcm: { pcm: 'Float32Array', frames: 'number' },  // interleaved, buffer transferred
});
