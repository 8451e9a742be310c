/**
 * Fills for the summary bars of collapsed PFs. Each state differs by shape as well as colour, so
 * a bar reads in grey scale and for colour-blind eyes: free = accent with dots, held = solid
 * neutral, unavailable = hatched. (Slots get the same marks from slotMarks.ts, as plain paths:
 * a pattern fill per slot costs twice the raster time of 2048 solid ones while zooming.)
 */
export function SvgDefs() {
  return (
    <defs>
      <pattern id="bar-free" patternUnits="userSpaceOnUse" width="10" height="10">
        <rect className="fill-free" width="10" height="10" />
        <circle className="fill-free-mark" cx="5" cy="5" r="1.6" />
      </pattern>
      <pattern id="bar-unavailable" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
        <rect className="fill-unavailable" width="6" height="6" />
        <line className="hatch" x1="0" y1="0" x2="0" y2="6" />
      </pattern>
    </defs>
  );
}
