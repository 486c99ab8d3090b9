// Presenter mode: the navigation hides, fonts grow, one idea per screen (CSS in styles.css under
// "Learn"). A class on <body> so every part of the page can follow it.
export function setPresenter(on: boolean): void {
  document.body.classList.toggle('presenter', on);
}

export function isPresenter(): boolean {
  return document.body.classList.contains('presenter');
}
