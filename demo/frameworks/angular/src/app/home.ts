import { Component } from '@angular/core';

@Component({
  selector: 'shop-home',
  template: `<h1>이번 주 볶은 커피</h1><p>커피 원두 1kg · 32,000원</p>`,
})
export class Home {}
