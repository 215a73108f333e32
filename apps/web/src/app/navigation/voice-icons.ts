/** Small inline SVG paths for the voice UI (24×24 viewBox, stroked with currentColor). */
export const VOICE_ICONS = {
  speaker: 'M11 5L6 9H2v6h4l5 4V5zM15.5 8.5a5 5 0 010 7M19 5a10 10 0 010 14',
  mic: 'M12 2a3 3 0 00-3 3v7a3 3 0 006 0V5a3 3 0 00-3-3zM19 10v2a7 7 0 01-14 0v-2M12 19v3',
  micOff:
    'M2 2l20 20M9 9v3a3 3 0 005.1 2.1M15 9.3V5a3 3 0 00-5.9-.6M17 16.9A7 7 0 015 12v-2M19 10v2a7 7 0 01-.1 1.2M12 19v3',
  headphones: 'M3 18v-6a9 9 0 0118 0v6M21 19a2 2 0 01-2 2h-1v-6h3zM3 19a2 2 0 002 2h1v-6H3z',
  headphonesOff:
    'M2 2l20 20M3 18v-6a9 9 0 0114.3-7.3M21 12v6M21 19a2 2 0 01-2 2h-1v-6h3zM3 19a2 2 0 002 2h1v-6H3z',
  /** A handset put down: leave the call (not the log-out arrow). */
  hangUp: 'M3 15c5-5 13-5 18 0l-2.5 2.5-3-1.5V13.5a11 11 0 00-7 0V16l-3 1.5z',
  camera: 'M23 7l-7 5 7 5V7zM3 5h11a2 2 0 012 2v10a2 2 0 01-2 2H3a2 2 0 01-2-2V7a2 2 0 012-2z',
  cameraOff:
    'M2 2l20 20M23 7l-7 5 7 5V7zM16 11V7a2 2 0 00-2-2H8M3 5a2 2 0 00-2 2v10a2 2 0 002 2h11a2 2 0 002-2',
  screen:
    'M3 4h18a1 1 0 011 1v11a1 1 0 01-1 1H3a1 1 0 01-1-1V5a1 1 0 011-1zM8 21h8M12 17v4M12 13V8M9.5 10.5L12 8l2.5 2.5',
  sliders: 'M4 21v-7M4 10V3M12 21v-9M12 8V3M20 21v-5M20 12V3M1 14h6M9 8h6M17 16h6',
} as const;
