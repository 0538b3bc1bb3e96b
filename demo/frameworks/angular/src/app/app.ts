import { Component } from '@angular/core';
import { RouterLink, RouterOutlet } from '@angular/router';

@Component({
  selector: 'shop-root',
  imports: [RouterOutlet, RouterLink],
  template: `
    <header>
      <strong>달빛 커피 · Angular</strong>
      <nav>
        <a routerLink="/">홈</a>
        <a routerLink="/checkout">결제하기</a>
      </nav>
    </header>
    <main><router-outlet /></main>
  `,
  styles: `
    :host { display: block; font-family: system-ui, 'NanumGothic', sans-serif; margin: 2rem; color: #1f2937; }
    header { display: flex; gap: 2rem; align-items: baseline; }
    nav { display: flex; gap: 1rem; }
  `,
})
export class App {}
