import { HeaderList } from '@x/headers';
import { describe, expect, it } from 'vitest';
import { createMockTransport, createRequest } from '../src/index.js';

describe('mock transport', () => {
  it('answers with status, headers and a streamed body', async () => {
    const transport = createMockTransport(() => ({
      status: 201,
      headers: { 'X-A': '1' },
      body: ['he', 'llo'],
    }));
    const response = await transport.request(createRequest({ url: 'http://127.0.0.1/' }));
    expect(response.status).toBe(201);
    expect(response.headers).toBeInstanceOf(HeaderList);
    expect(response.headers.get('x-a')).toBe('1');
    expect(await response.body.text()).toBe('hello');
  });
});
