/**
 * Codec names from what containers store: RFC 6381 strings in MP4 (`avc1.42c015`, `mp4a.40.2`) and
 * Matroska codec ids in WebM (`V_VP8`, `A_OPUS`), and whether VS Code's webviews can decode them.
 */

export type VideoCodec = 'h264' | 'hevc' | 'vp8' | 'vp9' | 'av1' | 'other';
export type AudioCodec = 'aac' | 'opus' | 'mp3' | 'vorbis' | 'flac' | 'other';

export interface CodecName<Codec extends string> {
  codec: Codec;
  /** Human name with the profile when the container says it, e.g. "H.264 Constrained Baseline". */
  label: string;
  profile?: string;
  /** What the container stored, for anyone who wants the exact string. */
  id: string;
}

const VIDEO_NAMES: Record<VideoCodec, string> = { h264: 'H.264', hevc: 'HEVC (H.265)', vp8: 'VP8', vp9: 'VP9', av1: 'AV1', other: '' };
const AUDIO_NAMES: Record<AudioCodec, string> = { aac: 'AAC', opus: 'Opus', mp3: 'MP3', vorbis: 'Vorbis', flac: 'FLAC', other: '' };

/** H.264 profile_idc → name (ITU-T H.264 Annex A). */
const H264_PROFILES: Record<number, string> = { 66: 'Baseline', 77: 'Main', 88: 'Extended', 100: 'High', 110: 'High 10', 122: 'High 4:2:2', 244: 'High 4:4:4 Predictive' };
/** HEVC general_profile_idc → name. */
const HEVC_PROFILES: Record<number, string> = { 1: 'Main', 2: 'Main 10', 3: 'Main Still Picture', 4: 'Range Extensions' };
/** MPEG-4 audio object types that name an AAC flavour. */
const AAC_OBJECT_TYPES: Record<number, string> = { 1: 'Main', 2: 'LC', 3: 'SSR', 4: 'LTP', 5: 'HE', 29: 'HE v2', 23: 'LD', 39: 'ELD' };
/** `mp4a.<oti>`: the MPEG object type indications that are MP3 (MPEG-1/2 layer 3). */
const MP3_OBJECT_TYPES = new Set(['69', '6b']);
/** `mp4a.<oti>`: MPEG-4 audio (40) and the MPEG-2 AAC profiles (66–68). */
const AAC_OBJECT_TYPE_INDICATIONS = new Set(['40', '66', '67', '68']);

/** A video codec from an MP4 sample entry's codec string. */
export function mp4VideoCodec(id: string): CodecName<VideoCodec> {
  const [entry, ...fields] = id.split('.');
  switch (entry) {
    case 'avc1':
    case 'avc3':
      return named('h264', id, h264Profile(fields[0]));
    case 'hvc1':
    case 'hev1':
      return named('hevc', id, HEVC_PROFILES[Number(fields[0]?.replace(/^[A-C]/, ''))]);
    case 'vp08':
      return named('vp8', id);
    case 'vp09':
      return named('vp9', id, fields[0] === undefined ? undefined : `Profile ${Number(fields[0])}`);
    case 'av01':
      return named('av1', id, ({ 0: 'Main', 1: 'High', 2: 'Professional' } as Record<string, string>)[fields[0] ?? '']);
    default:
      return named('other', id);
  }
}

/** An audio codec from an MP4 sample entry's codec string. */
export function mp4AudioCodec(id: string): CodecName<AudioCodec> {
  const lower = id.toLowerCase();
  // The `.mp3` sample entry has a leading dot in its four-character code.
  if (lower === '.mp3' || lower === 'mp3') return named('mp3', id);
  const [entry, objectType = '', audioType] = lower.split('.');
  if (entry === 'mp4a' && MP3_OBJECT_TYPES.has(objectType)) return named('mp3', id);
  if (entry === 'mp4a' && AAC_OBJECT_TYPE_INDICATIONS.has(objectType)) return named('aac', id, AAC_OBJECT_TYPES[Number(audioType)]);
  return named(({ opus: 'opus', flac: 'flac' } as Record<string, AudioCodec>)[entry] ?? 'other', id);
}

/** A codec from a Matroska/WebM `CodecID`. */
export function matroskaVideoCodec(id: string): CodecName<VideoCodec> {
  const codec = ({ V_VP8: 'vp8', V_VP9: 'vp9', V_AV1: 'av1', 'V_MPEG4/ISO/AVC': 'h264', V_MPEGH_ISO_HEVC: 'hevc', 'V_MPEGH/ISO/HEVC': 'hevc' } as Record<string, VideoCodec>)[id];
  return named(codec ?? 'other', id);
}

export function matroskaAudioCodec(id: string): CodecName<AudioCodec> {
  const codec = ({ A_OPUS: 'opus', A_VORBIS: 'vorbis', A_FLAC: 'flac', A_MPEG_L3: 'mp3', 'A_MPEG/L3': 'mp3' } as Record<string, AudioCodec>)[id];
  return named(codec ?? (id.startsWith('A_AAC') ? 'aac' : 'other'), id);
}

/** `42c015`: profile_idc 0x42 with constraint_set1 (0x40) is Constrained Baseline. */
function h264Profile(field: string | undefined): string | undefined {
  if (!field || field.length < 4) return undefined;
  const profile = parseInt(field.slice(0, 2), 16);
  const constraints = parseInt(field.slice(2, 4), 16);
  if (profile === 66 && constraints & 0x40) return 'Constrained Baseline';
  return H264_PROFILES[profile];
}

function named<Codec extends VideoCodec | AudioCodec>(codec: Codec, id: string, profile?: string): CodecName<Codec> {
  const name = (VIDEO_NAMES as Record<string, string>)[codec] || (AUDIO_NAMES as Record<string, string>)[codec] || id;
  return { codec, label: profile ? `${name} ${profile}` : name, ...(profile && { profile }), id };
}

/**
 * What VS Code's reduced FFmpeg decodes in a webview (release notes 1.71 and the codec issues since):
 * H.264 and VP8 video; MP3, Vorbis and FLAC audio. Not HEVC, VP9 or AV1 video, nor AAC or Opus audio.
 */
const PLAYABLE_VIDEO = new Set<VideoCodec>(['h264', 'vp8']);
const PLAYABLE_AUDIO = new Set<AudioCodec>(['mp3', 'vorbis', 'flac']);

export function videoPlaysInVsCode(codec: VideoCodec): boolean {
  return PLAYABLE_VIDEO.has(codec);
}

export function audioPlaysInVsCode(codec: AudioCodec): boolean {
  return PLAYABLE_AUDIO.has(codec);
}
