import { Args } from '@oclif/core';
import { BaseCommand } from '../_base';
import { imageView, ImageView } from '../../lib/views/images';
import { imageDetail } from './_table';

export default class ImageShow extends BaseCommand<typeof ImageShow> {
  static override description = 'Show an image by id or name. Exit 3 when unknown, 4 when several images have the name.';
  static override examples = ['<%= config.bin %> image show cirros', '<%= config.bin %> image show 0b6a3f0e-8d5c-4f3e-9a55-6b0c3c8d2a11 --json'];
  static override args = { image: Args.string({ description: 'Image id or name.', required: true }) };

  protected async execute(): Promise<{ image: ImageView }> {
    return { image: imageView(await this.ctx.images.get(this.args.image)) };
  }

  protected override renderHuman(r: { image: ImageView }): void {
    this.log(imageDetail(r.image));
  }
}
