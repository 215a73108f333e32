import { Directive, effect, ElementRef, inject, input } from '@angular/core';

/** Plays a `MediaStream` in a `<video>` or `<audio>` (`srcObject` is no attribute to bind). */
@Directive({ selector: 'video[mqMediaStream], audio[mqMediaStream]' })
export class MediaStreamDirective {
  readonly mqMediaStream = input<MediaStream | null>(null);

  constructor() {
    const element = inject<ElementRef<HTMLMediaElement>>(ElementRef).nativeElement;
    effect(() => {
      const stream = this.mqMediaStream();
      if (element.srcObject !== stream) element.srcObject = stream;
    });
  }
}
