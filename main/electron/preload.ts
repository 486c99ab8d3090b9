// Sandboxed preload: exposes the allowlisted bridge as window.kneepoint (see preloadBridge.ts).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { buildBridge } from './preloadBridge.ts';

contextBridge.exposeInMainWorld('kneepoint', buildBridge(ipcRenderer as never, webUtils as never));
