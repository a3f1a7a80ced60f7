/** An NSX REST request and its answer as they travel between the lab and NSX Manager. */

export interface RestRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface RestResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}
