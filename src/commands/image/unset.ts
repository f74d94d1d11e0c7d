import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { imageView, ImageView } from '../../lib/views/images';
import { imageDetail } from './_table';

export default class ImageUnset extends BaseCommand<typeof ImageUnset> {
  static override description = 'Remove properties or tags from an image. Exit 3 when the image, a property or a tag does not exist.';
  static override examples = ['<%= config.bin %> image unset cirros --property hw_machine_type', '<%= config.bin %> image unset cirros --tag old --json'];
  static override args = { image: Args.string({ description: 'Image id or name.', required: true }) };
  static override flags = {
    property: Flags.string({ description: 'Property KEY to remove (repeatable).', multiple: true, atLeastOne: ['property', 'tag'] }),
    tag: Flags.string({ description: 'Tag to remove (repeatable).', multiple: true }),
  };

  protected async execute(): Promise<{ image: ImageView }> {
    return { image: imageView(await this.ctx.images.unset(this.args.image, { properties: this.flags.property, tags: this.flags.tag })) };
  }

  protected override renderHuman(r: { image: ImageView }): void {
    this.log(imageDetail(r.image));
  }
}
