import { Args, Flags } from '@oclif/core';
import { projectFlag } from '../_flags';
import { BaseCommand } from '../_base';
import { CONTAINER_FORMATS, DISK_FORMATS } from '../../lib/services/images';
import { parseProperties } from '../../lib/services/validate';
import { imageView, ImageView } from '../../lib/views/images';
import { imageDetail, visibilityFlags, visibilityOf } from './_table';

export default class ImageCreate extends BaseCommand<typeof ImageCreate> {
  static override description = [
    'Register an image and copy its file into the local image store, recording size, MD5 checksum and SHA-512 hash.',
    'Exit 2 when the file is missing or unreadable (nothing is left behind), 3 when --property kernel_id/ramdisk_id names no image,',
    '4 when --id is taken.',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> image create cirros --file cirros-0.6.2-x86_64-disk.img --disk-format qcow2',
    '<%= config.bin %> image create vmlinuz --file vmlinuz --disk-format aki --container-format aki',
    '<%= config.bin %> image create debian --file debian.raw --property architecture=x86_64 --property hw_machine_type=q35 --private --json',
  ];
  static override args = { name: Args.string({ description: 'Image name.', required: true }) };
  static override flags = {
    project: projectFlag,
    file: Flags.string({ description: 'The image file to upload.', required: true }),
    'disk-format': Flags.string({ description: 'Disk format.', options: [...DISK_FORMATS], default: 'raw' }),
    'container-format': Flags.string({ description: 'Container format.', options: [...CONTAINER_FORMATS], default: 'bare' }),
    'min-disk': Flags.integer({ description: 'Minimum root disk in GB to boot it.' }),
    'min-ram': Flags.integer({ description: 'Minimum RAM in MB to boot it.' }),
    property: Flags.string({ description: 'Property KEY=VALUE (repeatable): architecture, hypervisor_type, hw_machine_type, kernel_id, ramdisk_id, os_command_line …', multiple: true }),
    ...visibilityFlags('Visible to'),
    protected: Flags.boolean({ description: 'Refuse to delete it until `image set --unprotected`.' }),
    tag: Flags.string({ description: 'Tag (repeatable).', multiple: true }),
    id: Flags.string({ description: 'Image id (a UUID; default: generated).' }),
  };

  protected async execute(): Promise<{ image: ImageView }> {
    const f = this.flags;
    const owner = await this.ctx.projects.resolve(this.flags.project);
    const image = await this.ctx.images.create({
      name: this.args.name, owner: owner.id, id: f.id, file: f.file, diskFormat: f['disk-format'], containerFormat: f['container-format'],
      minDisk: f['min-disk'], minRam: f['min-ram'], properties: parseProperties(f.property), visibility: visibilityOf(f),
      protected: f.protected, tags: f.tag,
    });
    return { image: imageView(image) };
  }

  protected override renderHuman(r: { image: ImageView }): void {
    this.log(imageDetail(r.image));
  }
}
