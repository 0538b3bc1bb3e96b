// `POST /login/api-secret` and `POST /token/refresh` (no Authorization needed).
import type { LoginViaApiSecretResponse, RefreshTokenResponse } from '@portone/server-sdk/auth';
import * as input from '../input.js';
import { read, type RestContext } from './context.js';

export const login = (ctx: RestContext): LoginViaApiSecretResponse =>
  ctx.auth.login(read(() => input.string(ctx.body.apiSecret, 'apiSecret')));

export const refresh = (ctx: RestContext): RefreshTokenResponse =>
  ctx.auth.refresh(read(() => input.string(ctx.body.refreshToken, 'refreshToken')));
