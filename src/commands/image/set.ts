import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { parseProperties } from '../../lib/services/validate';
import { imageView, ImageView } from '../../lib/views/images';
import { imageDetail, visibilityFlags, visibilityOf } from './_table';

export default class ImageSet extends BaseCommand<typeof ImageSet> {
  static override description = 'Change an image\'s name, properties, minimums, visibility, protection or tags. Exit 3 for an unknown image (or kernel_id/ramdisk_id).';
  static override examples = [
    '<%= config.bin %> image set cirros --property hw_machine_type=q35 --min-ram 256',
    '<%= config.bin %> image set cirros --protected --private --json',
  ];
  static override args = { image: Args.string({ description: 'Image id or name.', required: true }) };
  static override flags = {
    name: Flags.string({ description: 'New name.' }),
    property: Flags.string({ description: 'Property KEY=VALUE to add or change (repeatable).', multiple: true }),
    'min-disk': Flags.integer({ description: 'Minimum root disk in GB.' }),
    'min-ram': Flags.integer({ description: 'Minimum RAM in MB.' }),
    ...visibilityFlags('Make it visible to'),
    protected: Flags.boolean({ description: 'Refuse deletion.', exclusive: ['unprotected'] }),
    unprotected: Flags.boolean({ description: 'Allow deletion.', exclusive: ['protected'] }),
    tag: Flags.string({ description: 'Tag to add (repeatable).', multiple: true }),
  };

  protected async execute(): Promise<{ image: ImageView }> {
    const f = this.flags;
    const image = await this.ctx.images.update(this.args.image, {
      name: f.name, properties: parseProperties(f.property), minDisk: f['min-disk'], minRam: f['min-ram'], visibility: visibilityOf(f),
      protected: f.protected ? true : f.unprotected ? false : undefined, tags: f.tag,
    });
    return { image: imageView(image) };
  }

  protected override renderHuman(r: { image: ImageView }): void {
    this.log(imageDetail(r.image));
  }
}
