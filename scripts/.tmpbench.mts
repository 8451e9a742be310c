import { benchPage } from './benchPage.ts'; await benchPage();
