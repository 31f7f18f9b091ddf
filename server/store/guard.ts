import { AppError, isAppError } from '../errors.js';

/** Backend failures become one clear, retryable error; refusals thrown by callers pass through. */
export async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError('storage_unavailable', { cause: error });
  }
}
