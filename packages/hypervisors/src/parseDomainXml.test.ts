import { describe, expect, it } from 'vitest';
import { parseDomainXml } from './parseDomainXml';
import { deviceXml, hostdevXml } from './hostdevXml';

// Trimmed from `virsh dumpxml` of a q35 domain on libvirt 9.0.
const xml = `<domain type='kvm' id='3'>
  <name>db-primary</name>
  <uuid>2a6ca84b-267b-4d0e-a129-ab56cebe819f</uuid>
  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' index='0' model='qemu-xhci'>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </controller>
    <interface type='hostdev' managed='yes'>
      <mac address='52:54:00:6D:90:02'/>
      <source>
        <address type='pci' domain='0x0000' bus='0x3b' slot='0x10' function='0x2'/>
      </source>
      <address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/>
    </interface>
    <interface type='network'>
      <mac address='52:54:00:aa:bb:cc'/>
      <source network='default'/>
    </interface>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <driver name='vfio'/>
      <source>
        <address domain='0x0000' bus='0x3b' slot='0x02' function='0x1'/>
      </source>
      <alias name='hostdev0'/>
      <address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x0'/>
    </hostdev>
    <hostdev mode='subsystem' type='pci' managed='no'>
      <source>
        <address domain='0x10000' bus='0xe1' slot='0x00' function='0x0'/>
      </source>
    </hostdev>
    <hostdev mode='subsystem' type='usb' managed='yes'>
      <source><vendor id='0x046d'/><product id='0xc52b'/></source>
    </hostdev>
  </devices>
</domain>`;

describe('parseDomainXml', () => {
  it('reads name, uuid and the host addresses of PCI hostdevs and hostdev interfaces, not the guest-side ones', () => {
    const r = parseDomainXml(xml);
    expect(r).toEqual({
      ok: true,
      value: {
        name: 'db-primary',
        uuid: '2a6ca84b-267b-4d0e-a129-ab56cebe819f',
        devices: [
          { address: '0000:3b:02.1', kind: 'hostdev', mac: null },
          { address: '10000:e1:00.0', kind: 'hostdev', mac: null },
          { address: '0000:3b:10.2', kind: 'interface', mac: '52:54:00:6d:90:02' },
        ],
        problems: [],
      },
    });
  });
  it('reads a domain without devices', () => {
    expect(parseDomainXml("<domain type='qemu'><name>empty</name></domain>")).toMatchObject({ ok: true, value: { name: 'empty', devices: [] } });
  });
  it('takes decimal attribute values as libvirt does', () => {
    const r = parseDomainXml(
      "<domain><name>d</name><devices><hostdev mode='subsystem' type='pci'><source><address domain='0' bus='59' slot='2' function='1'/></source></hostdev></devices></domain>",
    );
    expect(r).toMatchObject({ ok: true, value: { devices: [{ address: '0000:3b:02.1' }] } });
  });
  it('reports a source address out of range and keeps the rest', () => {
    const r = parseDomainXml(
      "<domain><name>d</name><devices><hostdev mode='subsystem' type='pci'><source><address domain='0x0000' bus='0x01' slot='0x20' function='0x0'/></source></hostdev></devices></domain>",
    );
    expect(r.ok && r.value.devices).toEqual([]);
    expect(r.ok && r.value.problems).toHaveLength(1);
  });
  it('refuses XML that is not well-formed or not a domain', () => {
    expect(parseDomainXml('<domain><name>x</domain>').ok).toBe(false);
    expect(parseDomainXml('<network><name>x</name></network>').ok).toBe(false);
  });
});

describe('deviceXml', () => {
  it('writes a managed PCI hostdev that reads back as the same address', () => {
    const written = hostdevXml('10000:e1:1f.7');
    expect(written).toBe(
      "<hostdev mode='subsystem' type='pci' managed='yes'><source><address type='pci' domain='0x10000' bus='0xe1' slot='0x1f' function='0x7'/></source></hostdev>\n",
    );
    const back = parseDomainXml(`<domain><name>d</name><devices>${written}</devices></domain>`);
    expect(back.ok && back.value.devices).toEqual([{ address: '10000:e1:1f.7', kind: 'hostdev', mac: null }]);
  });
  it('writes an interface with its MAC, by which libvirt finds it on detach', () => {
    expect(deviceXml({ address: '0000:3b:10.2', kind: 'interface', mac: '52:54:00:6d:90:02' })).toContain("<mac address='52:54:00:6d:90:02'/>");
  });
});
