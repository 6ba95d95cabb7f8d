// SVG for the reports services render: one look, escaped text, no style sheet.
export * from './svg';
