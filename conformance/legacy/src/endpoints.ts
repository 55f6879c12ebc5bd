// Endpoints under experimentalDecorators: the (target, key, descriptor) convention.
import { Endpoint } from '@isolation/runtime';

export class NoteRoutes {
  @Endpoint({ method: 'GET', path: '/notes/{noteId}', pathParams: ['noteId'], queryParams: [] })
  get(noteId: string) { // valid
    return noteId;
  }

  @Endpoint({
    method: 'GET',
    path: '/notes/{noteId}/links/{linkId}', // expect: endpoint-params
    pathParams: ['noteId'],
    queryParams: [],
  })
  getLink(noteId: string, linkId: string) {
    return { noteId, linkId };
  }

  @Endpoint({ method: 'GET', path: '/notes/{noteId}/history' }) // expect: endpoint-explicit-params
  history(noteId: string) {
    return noteId;
  }
}
