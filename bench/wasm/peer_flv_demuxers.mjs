// The FLV demuxers of npm mpegts.js and flv.js, run under Node on a whole buffer, for comparison with
// ours. Both are written for browsers and published as webpack bundles that expect `self`/`window`; the
// least intrusive way to run only their FLVDemuxer is to bundle that one source module (and what it
// imports: AMF, SPS/HEVC/AV1 parsers, logger) with esbuild from the installed npm package, untouched.
// Two shims are needed and nothing else: `self` (the AAC config path reads `self.navigator.userAgent`)
// and `navigator` (Node 20 has none). The user agent we give is Chrome's, the branch a browser takes.
//
// Each run creates a fresh demuxer and hands it the whole file in one parseChunks(buffer, 0) call, the
// way its IO controller does once the bytes are in. The counts come from its own callbacks: samples in
// onDataAvailable (drained after each call, as its remuxer does), sequence headers in onTrackMetadata,
// script tags in onMetaDataArrived/onScriptDataArrived. A run that parsed nothing cannot pass the
// caller's count check.
import { createRequire } from 'node:module';
import { mkdirSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);

if (typeof globalThis.self === 'undefined') globalThis.self = globalThis;
if (typeof globalThis.navigator === 'undefined') {
  globalThis.navigator = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36' };
}

export const PEERS = {
  'mpegts.js': { pkg: 'mpegts.js', entry: 'src/demux/flv-demuxer.js', logger: 'src/utils/logger.js' },
  'flv.js': { pkg: 'flv.js', entry: 'src/demux/flv-demuxer.js', logger: 'src/utils/logger.js' },
};

function packageDir(pkg) {
  return path.dirname(require.resolve(`${pkg}/package.json`));
}

export function peerVersion(name) {
  return require(`${PEERS[name].pkg}/package.json`).version;
}

// Bundles the peer's FLVDemuxer (once per package version) into outDir and imports it.
export async function loadPeer(name, outDir) {
  const peer = PEERS[name];
  const dir = packageDir(peer.pkg);
  const version = peerVersion(name);
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, `${peer.pkg.replace(/\W/g, '_')}-${version}-flv-demuxer.mjs`);
  const entry = path.join(dir, peer.entry);
  if (!existsSync(outfile) || statSync(outfile).mtimeMs < statSync(entry).mtimeMs) {
    const esbuild = await import('esbuild');
    await esbuild.build({
      stdin: {
        contents: `export { default as FLVDemuxer } from ${JSON.stringify(entry)};\n` +
                  `export { default as Log } from ${JSON.stringify(path.join(dir, peer.logger))};\n`,
        resolveDir: dir,
        loader: 'js',
      },
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outfile,
      logLevel: 'error',
    });
  }
  const mod = await import(outfile);
  return { name, version, FLVDemuxer: mod.FLVDemuxer, Log: mod.Log };
}

// Parses `arrayBuffer` (a whole FLV file) with a fresh demuxer; returns what its callbacks saw.
export function demuxWhole({ FLVDemuxer }, arrayBuffer) {
  const probe = FLVDemuxer.probe(arrayBuffer);
  if (!probe.match) throw new Error('peer probe: not an FLV file');
  const demuxer = new FLVDemuxer(probe, {});
  const counts = { audio: 0, video: 0, sampleBytes: 0, trackMetadata: 0, scripts: 0, errors: [] };
  demuxer.onError = (type, info) => counts.errors.push(`${type}: ${info}`);
  demuxer.onMediaInfo = () => {};
  demuxer.onTrackMetadata = () => { counts.trackMetadata++; };
  demuxer.onMetaDataArrived = () => { counts.scripts++; };
  demuxer.onScriptDataArrived = () => {};
  demuxer.onDataAvailable = (audioTrack, videoTrack) => {
    counts.audio += audioTrack.samples.length;
    counts.video += videoTrack.samples.length;
    counts.sampleBytes += audioTrack.length + videoTrack.length;
    audioTrack.samples = []; audioTrack.length = 0;
    videoTrack.samples = []; videoTrack.length = 0;
  };
  counts.consumed = demuxer.parseChunks(arrayBuffer, 0);
  demuxer.destroy();
  return counts;
}
