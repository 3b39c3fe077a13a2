import { downloadText } from './downloadText';

describe('downloadText', () => {
  const original = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
  afterEach(() => {
    URL.createObjectURL = original.create;
    URL.revokeObjectURL = original.revoke;
  });

  it('clicks a download link for the text under the given name, then cleans up', async () => {
    const blobs: Blob[] = [];
    URL.createObjectURL = jest.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:vitals/1';
    });
    URL.revokeObjectURL = jest.fn();
    const clicked: Array<{
      href: string;
      download: string;
      attached: boolean;
    }> = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordClick(this: HTMLAnchorElement) {
        clicked.push({
          href: this.href,
          download: this.download,
          attached: document.body.contains(this),
        });
      });

    downloadText('a,b\n1,2\n', 'report.csv', 'text/csv');

    expect(clicked).toEqual([
      { href: 'blob:vitals/1', download: 'report.csv', attached: true },
    ]);
    expect(blobs[0].type).toBe('text/csv');
    expect(await blobs[0].text()).toBe('a,b\n1,2\n');
    expect(document.querySelector('a[download]')).toBeNull();
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:vitals/1');
    click.mockRestore();
  });
});
