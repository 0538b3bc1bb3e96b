// `POST /login/api-secret` and `POST /token/refresh` (no Authorization needed).
import type { LoginViaApiSecretResponse, RefreshTokenResponse } from '@portone/server-sdk/auth';
import type { Auth } from '../auth.js';
import * as input from '../input.js';
import { read, type RestContext } from './context.js';

export const login = (auth: Auth) => (ctx: RestContext): LoginViaApiSecretResponse =>
  auth.login(read(() => input.string(ctx.body.apiSecret, 'apiSecret')));

export const refresh = (auth: Auth) => (ctx: RestContext): RefreshTokenResponse =>
  auth.refresh(read(() => input.string(ctx.body.refreshToken, 'refreshToken')));
