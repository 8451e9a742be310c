/**
 * A small Prometheus text-format registry: counters and gauges with labels. vfmap exports a
 * handful of series; a client library would be more code than the series themselves.
 */
type Labels = Record<string, string>;

interface Series {
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, { labels: Labels; value: number }>;
}

export class Metrics {
  private readonly series = new Map<string, Series>();

  private get(name: string, type: Series['type'], help: string): Series {
    let s = this.series.get(name);
    if (!s) {
      s = { help, type, values: new Map() };
      this.series.set(name, s);
    }
    return s;
  }

  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    const s = this.get(name, 'counter', help);
    const key = JSON.stringify(labels);
    const v = s.values.get(key);
    if (v) v.value += by;
    else s.values.set(key, { labels, value: by });
  }

  set(name: string, help: string, labels: Labels, value: number): void {
    this.get(name, 'gauge', help).values.set(JSON.stringify(labels), { labels, value });
  }

  /** Drops every value of a gauge (before re-setting the values of a new scan). */
  reset(name: string): void {
    this.series.get(name)?.values.clear();
  }

  render(): string {
    const lines: string[] = [];
    for (const [name, s] of this.series) {
      lines.push(`# HELP ${name} ${s.help}`, `# TYPE ${name} ${s.type}`);
      for (const { labels, value } of s.values.values()) {
        const l = Object.entries(labels)
          .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
          .join(',');
        lines.push(`${name}${l ? `{${l}}` : ''} ${value}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}
