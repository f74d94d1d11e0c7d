import { Args } from '@oclif/core';
import { confirm } from '@inquirer/prompts';
import { BaseCommand } from '../_base';
import { CancelledError } from '../../lib/errors';
import { imageView, ImageView } from '../../lib/views/images';

export default class ImageDelete extends BaseCommand<typeof ImageDelete> {
  static override description = 'Delete an image by id or name, and its file in the image store. Exit 4 when it is protected, 3 when unknown.';
  static override examples = ['<%= config.bin %> image delete cirros', '<%= config.bin %> image delete 0b6a3f0e-8d5c-4f3e-9a55-6b0c3c8d2a11 --yes --json'];
  static override args = { image: Args.string({ description: 'Image id or name.', required: true }) };

  protected async execute() {
    if (this.interactive && !(await confirm({ message: `Delete image ${this.args.image}?`, default: false }))) {
      throw new CancelledError();
    }
    return { deleted: imageView(await this.ctx.images.delete(this.args.image)) };
  }

  protected override renderHuman(r: { deleted: ImageView }): void {
    this.log(`Deleted image ${r.deleted.name ?? ''} (${r.deleted.id}).`);
  }
}
