import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { imageView, ImageView } from '../../lib/views/images';
import { imagesTable, visibilityFlags, visibilityOf } from './_table';

export default class ImageList extends BaseCommand<typeof ImageList> {
  static override description = 'List images (as admin: every project\'s), by name.';
  static override examples = ['<%= config.bin %> image list', '<%= config.bin %> image list --private --long', '<%= config.bin %> image list --name cirros --json'];
  static override flags = {
    ...visibilityFlags('Only images visible to'),
    long: Flags.boolean({ description: 'Also formats, size, checksum, visibility, protection, project and tags.' }),
    name: Flags.string({ description: 'Only images with exactly this name.' }),
  };

  protected async execute(): Promise<{ images: ImageView[] }> {
    const images = await this.ctx.images.list({ visibility: visibilityOf(this.flags), name: this.flags.name });
    return { images: images.map(imageView) };
  }

  protected override renderHuman(r: { images: ImageView[] }): void {
    this.log(r.images.length ? imagesTable(r.images, this.flags.long) : 'No images. Create one with `novalite image create NAME --file PATH`.');
  }
}
